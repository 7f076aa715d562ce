"""The questions' default wording, in English and Traditional Chinese (Taiwan), in the
lecture's notation. A template may write its own `prompt` instead."""

from __future__ import annotations

from app.exercises.targets import Target

STEP_RULE = "θ¹ = θ⁰ − η∇L(θ⁰)"


def number_prompt(target: Target) -> dict[str, str]:
    name = target.name()
    if target.quantity == "loss":
        return {"en": "What is the loss l?", "zh-TW": "損失 l 是多少？"}
    if target.about_the_step:
        return {
            "en": f"What is {name} after one step {STEP_RULE}?",
            "zh-TW": f"更新一步（{STEP_RULE}）之後，{name} 是多少？",
        }
    return {"en": f"What is {name}?", "zh-TW": f"{name} 是多少？"}


def sign_prompt(target: Target) -> dict[str, str]:
    name = target.name()
    if target.about_the_step:
        return {
            "en": f"In this step, does {name} go up (+), go down (-) or stay (0)?",
            "zh-TW": f"這一步更新時，{name} 會變大（+）、變小（-）還是不變（0）？",
        }
    return {
        "en": f"Is {name} positive (+), negative (-) or zero (0)?",
        "zh-TW": f"{name} 是正（+）、負（-）還是零（0）？",
    }


def choice_prompt(options: list[Target]) -> dict[str, str]:
    names = [o.name() for o in options]
    listed_en = ", ".join(names[:-1]) + " or " + names[-1]
    listed_zh = "、".join(names)
    if options[0].about_the_step:
        which = "比較大" if len(names) == 2 else "最大"
        return {
            "en": f"Which changes more in this step: {listed_en}?",
            "zh-TW": f"這一步更新時，{listed_zh} 之中哪一個變化{which}？",
        }
    return {
        "en": f"Which has the largest absolute value: {listed_en}?",
        "zh-TW": f"{listed_zh} 之中，哪一個的絕對值最大？",
    }

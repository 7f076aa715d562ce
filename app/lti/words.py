"""The LTI pages' words, in the page's two languages (the picker, the refusals): a student or
a teacher in a zh-TW course reads them in Traditional Chinese."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "refused_title": "This launch was refused",
        "refused_lead": "backprop-viz could not open this link from your course.",
        "refused_teacher": "If you are a student, show this page to your teacher. For the "
        "course's administrator, what was wrong:",
        "code": "Code",
        "off_title": "LTI is off on this server",
        "off_lead": "This backprop-viz server has no LTI key "
        "(BACKPROP_VIZ_LTI_PRIVATE_KEY), so it cannot be launched from a course.",
        "picker_title": "Add backprop-viz to your course",
        "picker_lead": "Choose what the link opens. An exercise gets a column in the "
        "gradebook: each student gets their own numbers, and their score is sent when they "
        "press Check.",
        "exercises": "Exercises",
        "practises": "practises",
        "preview": "preview",
        "questions": "{n} questions, one score point each",
        "presets": "Networks",
        "own": "The network I built",
        "own_hint": "Paste its share link (Share → Copy link in the visualizer).",
        "send": "Add to the course",
        "no_choice": "Choose an exercise, a network, or paste a share link.",
        "bad_link": "That is not a share link of backprop-viz (it has no state=…).",
        "sending": "Sending your choice back to the course…",
        "continue": "Continue",
        "window_title": "Open backprop-viz in a window of its own",
        "window_lead": "This browser keeps no cookies for sites inside another site's "
        "frame, and this tool needs one for a moment to check that it is you who opened "
        "the link. In a window of its own it can.",
        "window_open": "Open in a new window",
        "window_teacher": "For the course's administrator: launch the tool in a new window, "
        "or use a platform that offers LTI platform storage (lti_storage_target).",
        "storage_wait": "Checking the launch with the course…",
        "storage_failed": "The course did not confirm this launch. Open the link from the "
        "course again.",
    },
    "zh-TW": {
        "refused_title": "無法開啟這個連結",
        "refused_lead": "backprop-viz 無法開啟課程中的這個連結。",
        "refused_teacher": "如果你是學生，請把這個頁面給老師看。給課程管理者的說明：",
        "code": "代碼",
        "off_title": "這台伺服器沒有開啟 LTI",
        "off_lead": "這台 backprop-viz 伺服器沒有 LTI 金鑰（BACKPROP_VIZ_LTI_PRIVATE_KEY），"
        "無法從課程平台開啟。",
        "picker_title": "把 backprop-viz 加入課程",
        "picker_lead": "選擇這個連結要開啟的內容。練習題會在成績簿中建立一欄："
        "每位學生拿到自己的數字，按下「檢查」時成績就會送回課程。",
        "exercises": "練習題",
        "practises": "練習",
        "preview": "預覽",
        "questions": "{n} 題，每題 1 分",
        "presets": "網路",
        "own": "我自己建的網路",
        "own_hint": "貼上它的分享連結（在視覺化工具中按「分享 → 複製連結」）。",
        "send": "加入課程",
        "no_choice": "請選擇一個練習題、一個網路，或貼上分享連結。",
        "bad_link": "這不是 backprop-viz 的分享連結（裡面沒有 state=…）。",
        "sending": "正在把你的選擇送回課程……",
        "continue": "繼續",
        "window_title": "在新視窗中開啟 backprop-viz",
        "window_lead": "這個瀏覽器不會為嵌在其他網站框架中的網站保存 cookie，"
        "而這個工具需要暫時用一個 cookie 確認是你開啟了這個連結。在獨立的視窗中就可以。",
        "window_open": "在新視窗中開啟",
        "window_teacher": "給課程管理者：請把工具設定為在新視窗中開啟，"
        "或使用支援 LTI 平台儲存（lti_storage_target）的平台。",
        "storage_wait": "正在向課程平台確認這次開啟……",
        "storage_failed": "課程平台沒有確認這次開啟。請從課程中重新開啟連結。",
    },
}

# A refusal's meaning in Traditional Chinese, beside the English detail (which names the
# values: ids, URLs, what the platform sent).
REFUSALS_ZH: dict[str, str] = {
    "bad_state": "登入狀態不符或已過期：請從課程中重新開啟連結。",
    "login_error": "課程平台在登入時回傳了錯誤。",
    "no_token": "課程平台沒有送來 id_token。",
    "bad_token": "課程平台送來的 id_token 無法讀取。",
    "alg_not_allowed": "id_token 的簽章演算法不是 RS256。",
    "unknown_kid": "id_token 所用的金鑰不在課程平台的公開金鑰集合中。",
    "key_set_unreachable": "無法讀取課程平台的公開金鑰集合：請檢查註冊資料中的網址。",
    "bad_signature": "id_token 的簽章與課程平台的金鑰不符。",
    "unknown_issuer": "這個課程平台（issuer）沒有在這個工具註冊。",
    "wrong_issuer": "id_token 來自另一個課程平台。",
    "wrong_audience": "id_token 是給另一個工具的（aud 不符）。",
    "unknown_deployment": "這個部署（deployment）沒有在這個工具註冊。",
    "expired": "這次開啟已過期：請從課程中重新開啟連結。",
    "not_yet_valid": "這次開啟的時間在未來：課程平台與伺服器的時鐘相差太多。",
    "bad_nonce": "nonce 不是這次登入所發出的：請從課程中重新開啟連結。",
    "nonce_used": "這次開啟已經用過了：每次開啟只能用一次。",
    "bad_version": "LTI 版本不是 1.3.0。",
    "bad_message_type": "這個工具不處理這種訊息類型。",
    "missing_claim": "id_token 缺少必要的欄位。",
    "bad_custom": "連結的自訂參數（custom）有誤。",
    "bad_request": "請求缺少必要的參數。",
}

# The lecture's moves an exercise practises (static/js/text's exerciseMoves).
MOVES: dict[str, dict[str, str]] = {
    "en": {
        "forward": "forward pass",
        "loss": "loss",
        "backward-output": "backward pass, output layer",
        "backward-hidden": "backward pass, hidden layers",
        "gradient": "gradients",
        "update": "update",
        "whole-step": "a whole step",
    },
    "zh-TW": {
        "forward": "前向傳遞",
        "loss": "損失",
        "backward-output": "反向傳遞，輸出層",
        "backward-hidden": "反向傳遞，隱藏層",
        "gradient": "梯度",
        "update": "更新",
        "whole-step": "完整的一步",
    },
}

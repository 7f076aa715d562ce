"""Driving JupyterLab 4 from Playwright through its own commands (window.jupyterapp, exposed by
--expose-app-in-browser, as Galata does): open a notebook, run cells, add one and read its
output. Cell by cell, not by typing: the editor's key bindings are not what is under test."""

from __future__ import annotations

from playwright.sync_api import Page

# The open notebook's panel and its cells (the model: what ran, and in what order).
_NOTEBOOK = "() => window.jupyterapp.shell.currentWidget"


def open_notebook(page: Page, base: str, name: str = "notebook.ipynb") -> None:
    page.goto(f"{base}/lab/tree/{name}")
    page.wait_for_function(
        """() => {
          const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
          return panel && panel.sessionContext && panel.sessionContext.session
            && panel.sessionContext.session.kernel
            && panel.sessionContext.session.kernel.connectionStatus === "connected"
            && panel.sessionContext.session.kernel.status === "idle";
        }""",
        timeout=120_000,
    )


def run_all(page: Page, timeout: float = 180_000) -> None:
    """Run every cell; return once each code cell has run (an execution count) and the kernel
    is idle again."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
          const panel = window.jupyterapp.shell.currentWidget;
          const cells = [...panel.content.widgets].filter((c) => c.model.type === "code");
          return cells.every((c) => c.model.sharedModel.execution_count)
            && panel.sessionContext.session.kernel.status === "idle";
        }""",
        timeout=timeout,
    )


def run_cell(page: Page, source: str, timeout: float = 60_000) -> str:
    """Add a code cell at the end, run it, and return its output's text (stdout and results)."""
    count = page.evaluate(
        """async (source) => {
          const app = window.jupyterapp;
          const panel = app.shell.currentWidget;
          panel.content.activeCellIndex = panel.content.widgets.length - 1;
          await app.commands.execute("notebook:insert-cell-below");
          const cell = panel.content.activeCell;
          cell.model.sharedModel.setSource(source);
          await app.commands.execute("notebook:run-cell");
          return panel.content.widgets.length;
        }""",
        source,
    )
    # run-cell moves to a new cell below when it runs the last one: the cell is count − 2 or − 1.
    page.wait_for_function(
        """(n) => {
          const panel = window.jupyterapp.shell.currentWidget;
          const cells = panel.content.widgets.slice(0, n);
          const cell = cells.filter((c) => c.model.type === "code").at(-1);
          return cell.model.sharedModel.execution_count
            && panel.sessionContext.session.kernel.status === "idle";
        }""",
        arg=count,
        timeout=timeout,
    )
    return str(
        page.evaluate(
            """(n) => {
              const panel = window.jupyterapp.shell.currentWidget;
              const cells = panel.content.widgets.slice(0, n);
              const cell = cells.filter((c) => c.model.type === "code").at(-1);
              return cell.outputArea.node.innerText;
            }""",
            count,
        )
    )

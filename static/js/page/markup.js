// The page's markup, by part: createApp(root, options) puts in the parts it is asked for.
// Text comes from strings.js through data-i18n / data-i18n-title keys, so another
// language is one more table there.
//   topbar    brand, example picker, language, share, export, gradient check, equations
//   editor    the toolbar (layers, loss, η, init) and click-to-edit on the drawing
//   panel     the side panel (equations, gradient check)
//   legend    the colour legend under the drawing
//   captions  the line that follows the animation
//   controls  the player bar (and the predict mode's card above it)
//   training  the training view beside the drawing (training/view.js), and its toggle

const FAVICON = new URL("../../favicon.svg", import.meta.url).href;

const TOPBAR = `
  <header class="topbar" data-part="topbar">
    <h1 class="brand-heading"><a class="brand" data-bind="brand"><img src="${FAVICON}" alt="" width="18" height="18"><span data-i18n="appTitle">backprop-viz</span></a></h1>
    <span class="tagline" data-i18n="tagline"></span>
    <label class="field" data-control-group="preset"><span data-i18n="preset"></span>
      <select data-control="preset" data-i18n-label="preset"></select></label>
    <span class="spacer"></span>
    <select class="lang" data-control="lang" data-control-group="lang" data-i18n-label="language" data-i18n-title="language"></select>
    <span class="menu" data-control-group="share">
      <button type="button" data-action="share" aria-expanded="false" aria-controls="bv-share-menu" data-i18n="share" data-i18n-title="shareTitle"></button>
      <div class="menu-body share-menu" id="bv-share-menu" data-bind="share-menu" role="group" data-i18n-label="share" hidden>
        <label class="menu-label" for="bv-share-link" data-i18n="shareLink"></label>
        <div class="menu-row"><input id="bv-share-link" data-bind="share-link" readonly>
          <button type="button" data-action="copy-link" data-i18n="copy"></button></div>
        <label class="menu-label" for="bv-share-iframe" data-i18n="shareIframe"></label>
        <div class="menu-row"><textarea id="bv-share-iframe" data-bind="share-iframe" rows="3" readonly></textarea>
          <button type="button" data-action="copy-iframe" data-i18n="copy"></button></div>
        <p class="menu-note" data-bind="share-note" role="status"></p>
      </div>
    </span>
    <span class="menu" data-control-group="export">
      <button type="button" data-action="export" aria-expanded="false" aria-controls="bv-export-menu" data-i18n="export" data-i18n-title="exportTitle"></button>
      <div class="menu-body export-menu" id="bv-export-menu" data-bind="export-menu" role="group" data-i18n-label="export" hidden>
        <button type="button" data-export="svg" data-i18n="exportSvg"></button>
        <button type="button" data-export="png" data-i18n="exportPng"></button>
        <button type="button" data-export="json" data-i18n="exportJson"></button>
        <button type="button" data-export="csv" data-i18n="exportCsv"></button>
        <button type="button" data-export="pytorch" data-i18n="exportPytorch" data-i18n-title="exportPytorchTitle"></button>
        <p class="menu-note" data-bind="export-note" role="status"></p>
      </div>
    </span>
    <button type="button" data-action="gradcheck" data-control-group="gradcheck" data-part-needs="panel" data-i18n="gradcheck" data-i18n-title="gradcheckTitle"></button>
    <button type="button" data-action="equations" data-control-group="equations" data-part-needs="panel" aria-pressed="false" data-i18n="equations"></button>
  </header>`;

const EDITOR = `
  <section class="editor-bar" data-part="editor" data-i18n-label="editorLabel"><div class="toolbar" role="toolbar" data-i18n-label="editorLabel">
    <span class="field group"><span data-i18n="layers"></span>
      <button type="button" class="icon" data-action="remove-layer" data-i18n-title="removeLayer" aria-label="−">−</button>
      <output data-bind="layer-count"></output>
      <button type="button" class="icon" data-action="add-layer" data-i18n-title="addLayer" aria-label="+">+</button></span>
    <label class="field"><span data-i18n="loss"></span> <select data-control="loss"></select></label>
    <label class="field" data-i18n-title="learningRateTitle"><span data-i18n="learningRate"></span>
      <input data-control="learning-rate" inputmode="decimal" size="5" autocomplete="off"></label>
    <label class="field"><input type="checkbox" data-control="freeze-biases"> <span data-i18n="freezeBiases" data-i18n-title="freezeBiasesTitle"></span></label>
    <span class="field group">
      <label class="field"><span data-i18n="init"></span> <select data-control="init"></select></label>
      <label class="field"><span data-i18n="seed"></span> <input data-control="seed" type="number" min="0" step="1" value="0"></label>
      <button type="button" data-action="reinit" data-i18n="reinit" data-i18n-title="reinitTitle"></button>
    </span>
    <button type="button" class="training-toggle" data-action="training" data-part="training" aria-pressed="false" data-i18n="training" data-i18n-title="trainingTitle"></button>
    <output class="status" role="status" aria-live="polite" data-bind="status"></output>
  </div></section>`;

const POPOVER = `
        <form class="popover" data-bind="editor" data-part="editor" hidden>
          <label class="popover-label" for="bv-edit-value"></label>
          <input id="bv-edit-value" data-control="edit-value" autocomplete="off" inputmode="decimal">
          <p class="popover-help" data-i18n="editHelp"></p>
          <p class="popover-error" role="alert"></p>
          <button type="button" class="link-button" data-action="explain" data-i18n="explain"></button>
        </form>`;

export const LEGEND = `
      <div class="legend" data-part="legend">
        <span class="swatch-bar" aria-hidden="true"></span>
        <span class="legend-ends"><span data-i18n="legendNegative"></span><span data-i18n="legendPositive"></span></span>
        <span class="legend-note legend-dash" data-i18n="legendDash"></span>
        <span class="legend-note" data-i18n="legendWidth"></span>
        <span class="legend-note" data-i18n="legendLabels"></span>
      </div>`;

export const PANEL = `
    <aside class="panel" data-bind="panel" data-part="panel" hidden>
      <div class="tabs">
        <span class="tablist" role="tablist">
          <button type="button" role="tab" id="bv-tab-equations" aria-controls="bv-panel-equations" data-tab="equations" data-i18n="equations" aria-selected="true"></button>
          <button type="button" role="tab" id="bv-tab-gradcheck" aria-controls="bv-panel-gradcheck" data-tab="gradcheck" data-i18n="gradcheck" aria-selected="false"></button>
        </span>
        <span class="spacer"></span>
        <label class="field digits-toggle"><input type="checkbox" data-control="full-precision"> <span data-i18n="fullPrecision" data-i18n-title="fullPrecisionTitle"></span></label>
        <button type="button" class="icon" data-action="close-panel" data-i18n-title="closePanel" aria-label="×">×</button>
      </div>
      <div class="tab-body" id="bv-panel-equations" data-panel="equations" role="tabpanel" aria-labelledby="bv-tab-equations"></div>
      <div class="tab-body" id="bv-panel-gradcheck" data-panel="gradcheck" role="tabpanel" aria-labelledby="bv-tab-gradcheck" hidden></div>
    </aside>`;

const TRAINING = `
    <aside class="training" data-bind="training" data-part="training" data-i18n-label="trainingLabel" hidden>
      <div class="train-bar" role="toolbar">
        <button type="button" class="primary" data-action="train" data-i18n="train" data-i18n-title="trainTitle"></button>
        <button type="button" data-action="train-pause" data-i18n="trainPause" disabled></button>
        <button type="button" data-action="train-batch" data-i18n="trainBatch" data-i18n-title="trainBatchTitle"></button>
        <button type="button" data-action="train-epoch" data-i18n="trainEpoch" data-i18n-title="trainEpochTitle"></button>
        <button type="button" data-action="train-reset" data-i18n="trainReset" data-i18n-title="trainResetTitle"></button>
        <label class="field" data-i18n-title="trainSpeedTitle"><span data-i18n="trainSpeed"></span>
          <input type="range" data-control="train-speed" min="0" max="4" step="1"></label>
      </div>
      <p class="train-stats" aria-live="off">
        <span><span data-i18n="epoch"></span> <output data-bind="train-epoch">0</output></span>
        <span><span data-i18n="lossTrain"></span> <output data-bind="train-loss">–</output></span>
        <span><span data-i18n="lossTest"></span> <output data-bind="test-loss">–</output></span>
        <span data-bind="accuracy-wrap"><span data-i18n="accuracy"></span> <output data-bind="train-accuracy">–</output> / <output data-bind="test-accuracy">–</output></span>
      </p>
      <p class="train-error" role="alert" data-bind="train-error"></p>
      <p class="train-note" data-bind="train-note"></p>
      <div class="train-main">
        <div class="plane-wrap" data-bind="plane"></div>
        <div class="thumbs" data-bind="thumbs" data-i18n-title="thumbsTitle"></div>
      </div>
      <div class="plane-options">
        <label class="field"><input type="checkbox" data-control="show-test" checked> <span data-i18n="showTest"></span></label>
        <label class="field"><input type="checkbox" data-control="discretize"> <span data-i18n="discretize"></span></label>
        <label class="field" data-i18n-title="addPointTitle"><span data-i18n="addPoint"></span> <select data-control="add-class"></select></label>
      </div>
      <div class="chart-wrap">
        <div class="loss-chart-box" data-bind="loss-chart"></div>
        <div class="chart-legend"><span class="key train" data-i18n="lossTrain"></span><span class="key test" data-i18n="lossTest"></span>
          <label class="field"><input type="checkbox" data-control="log-scale"> <span data-i18n="logScale"></span></label></div>
      </div>
      <details class="train-section" open>
        <summary data-i18n="dataSection"></summary>
        <div class="datasets" data-bind="datasets" role="radiogroup" data-i18n-label="dataset"></div>
        <div class="train-grid">
          <label class="field"><span data-i18n="samples"></span> <input type="number" data-control="samples" min="10" step="10"></label>
          <label class="field"><span data-i18n="noise"></span> <input type="number" data-control="noise" min="0" step="0.05"></label>
          <label class="field"><span data-i18n="testRatio"></span> <input type="number" data-control="test-ratio" min="0" step="0.1"></label>
          <label class="field"><span data-i18n="dataSeed"></span> <input type="number" data-control="data-seed" min="0" step="1"></label>
        </div>
        <div class="features" data-bind="features" role="group" data-i18n-label="features"><span data-i18n="features"></span></div>
        <div class="file-row">
          <label class="file-button"><span data-i18n="uploadCsv"></span><input type="file" accept=".csv,text/csv,text/plain" data-control="csv"></label>
          <button type="button" data-action="export-data" data-i18n="exportData"></button>
          <button type="button" data-action="train-save" data-i18n="saveTraining" data-i18n-title="saveTrainingTitle"></button>
          <label class="file-button"><span data-i18n="loadTraining"></span><input type="file" accept=".json,application/json" data-control="train-load"></label>
        </div>
      </details>
      <details class="train-section" open>
        <summary data-i18n="trainSection"></summary>
        <div class="train-grid">
          <label class="field"><span data-i18n="batchSize"></span> <input type="number" data-control="batch-size" min="1" step="1"></label>
          <label class="field"><span data-i18n="optimizer"></span> <select data-control="optimizer"></select></label>
          <label class="field" data-i18n-title="learningRateTitle"><span data-i18n="learningRate"></span> <input data-control="train-eta" inputmode="decimal" size="6" autocomplete="off"></label>
          <label class="field"><span data-i18n="regularization"></span> <select data-control="regularization"></select></label>
          <label class="field"><span data-i18n="regularizationRate"></span> <input data-control="regularization-rate" inputmode="decimal" size="6" autocomplete="off"></label>
          <label class="field"><span data-i18n="maxEpochs"></span> <input type="number" data-control="max-epochs" min="1" step="1"></label>
          <label class="field"><span data-i18n="targetLoss"></span> <input data-control="target-loss" inputmode="decimal" size="6" autocomplete="off" data-i18n-title="targetLossTitle"></label>
        </div>
      </details>
      <details class="train-section minibatch" data-bind="minibatch">
        <summary data-i18n="minibatchSection"></summary>
        <p class="train-hint" data-i18n="minibatchHint"></p>
        <div class="minibatch-bar">
          <button type="button" data-action="batch-next" data-i18n="batchNext" data-i18n-title="batchNextTitle"></button>
          <button type="button" data-action="batch-pick" aria-pressed="false" data-i18n="batchPick" data-i18n-title="batchPickTitle"></button>
          <label class="field"><span data-i18n="batchLink"></span> <select data-control="batch-link"></select></label>
        </div>
        <div class="minibatch-body" data-bind="minibatch-body"></div>
      </details>
    </aside>`;

export const CAPTION = `
  <div class="caption-box" data-part="captions">
    <p class="caption" id="bv-caption" data-bind="caption"></p>
    <button type="button" class="caption-more" data-action="caption-more" aria-expanded="false" aria-controls="bv-caption" data-i18n="captionMore" hidden></button>
  </div>`;

const icon = (path) => `<svg viewBox="0 0 16 16" aria-hidden="true"><path d="${path}"/></svg>`;
// The predict mode's card (player/predictview.js): above the player bar while Predict is on.
const PREDICT = `
  <form class="predict-card" data-bind="predict" data-part="controls" data-control-group="predict" role="group" data-i18n-label="predictLabel" novalidate hidden>
    <label class="predict-ask" for="bv-predict-guess"></label>
    <input id="bv-predict-guess" data-control="predict-guess" data-asking inputmode="decimal" autocomplete="off" size="9" aria-describedby="bv-predict-hint">
    <button type="submit" class="primary" data-action="predict-answer" data-asking data-i18n="predictAnswer"></button>
    <span class="predict-sign" hidden><button type="button" data-action="predict-up" data-i18n="predictUp"></button><button type="button" data-action="predict-down" data-i18n="predictDown"></button></span>
    <button type="button" data-action="predict-skip" data-asking data-i18n="predictSkip"></button>
    <span class="predict-hint" id="bv-predict-hint"></span>
    <span class="predict-verdict" hidden></span>
  </form>`;

export const CONTROLS = `${PREDICT}
  <div class="player" role="toolbar" data-part="controls" data-i18n-label="playerLabel">
    <span class="group">
      <button type="button" class="icon" data-action="reset" data-control-group="reset" data-i18n-title="reset" aria-label="reset">${icon("M3 3h2v10H3zM13 3v10L6 8z")}</button>
      <button type="button" class="icon" data-action="prev" data-control-group="prev" data-i18n-title="prev" aria-label="previous">${icon("M11 3h2v10h-2zM10 3v10L3 8z")}</button>
      <button type="button" class="icon" data-action="play" data-control-group="play" data-i18n-title="play" aria-label="play">${icon("M4 2.5v11L13.5 8z")}</button>
      <button type="button" class="icon" data-action="pause" data-control-group="play" data-i18n-title="pause" aria-label="pause">${icon("M4 3h3v10H4zM9 3h3v10H9z")}</button>
      <button type="button" class="icon" data-action="next" data-control-group="next" data-i18n-title="next" aria-label="next">${icon("M3 3h2v10H3zM6 3v10l7-5z")}</button>
    </span>
    <span class="group">
      <button type="button" data-action="forward" data-control-group="forward" data-i18n="forward" data-i18n-title="forwardTitle"></button>
      <button type="button" data-action="backward" data-control-group="backward" data-i18n="backward" data-i18n-title="backwardTitle"></button>
      <button type="button" class="primary" data-action="step" data-control-group="step" data-i18n="step" data-i18n-title="stepTitle"></button>
      <output class="steps" data-bind="steps" data-control-group="step" hidden></output>
    </span>
    <button type="button" class="predict-toggle" data-action="predict" data-control-group="predict" aria-pressed="false" data-i18n="predict" data-i18n-title="predictTitle"></button>
    <span class="timeline" data-control-group="scrub">
      <input type="range" data-control="scrub" min="0" max="1" value="0" step="1" data-i18n-title="scrub" data-i18n-label="scrub">
      <span class="phase-marks" data-bind="phase-marks"></span>
    </span>
    <label class="field" data-control-group="speed"><span data-i18n="speed"></span>
      <select data-control="speed">
        <option value="0.25">¼×</option><option value="0.5">½×</option><option value="1" selected>1×</option>
        <option value="2">2×</option><option value="4">4×</option><option value="8">8×</option>
      </select></label>
    <span class="keys" tabindex="0" data-control-group="keys" aria-label="keys" data-i18n="shortcutsShort" data-i18n-title="shortcuts"></span>
  </div>`;

export const PARTS = ["topbar", "editor", "panel", "legend", "captions", "controls", "training"];
export const CONTROL_GROUPS = [
  "preset", "lang", "share", "export", "gradcheck", "equations",
  "reset", "prev", "play", "next", "forward", "backward", "step", "predict", "scrub", "speed", "keys",
];

/** The whole page's markup; parts and controls not wanted are removed by createApp. */
export function appMarkup() {
  return `${TOPBAR}${EDITOR}
  <main class="stage">
    <section class="canvas-wrap">
      <p class="notes" data-bind="notes" role="status" hidden></p>
      <div class="layer-headers" data-bind="layer-headers" data-part="editor"></div>
      <button type="button" class="skip-link" data-action="skip-drawing" data-i18n="skipDrawing"></button>
      <div class="canvas" data-bind="canvas">${POPOVER}
      </div>${LEGEND}
    </section>${TRAINING}${PANEL}
  </main>
  <footer class="bottom">${CAPTION}${CONTROLS}
  </footer>`;
}

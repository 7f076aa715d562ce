// Starts ReDoc on /redoc with the app's own OpenAPI document (its URL is in the page,
// with any --root-path).
(function () {
  "use strict";
  var node = document.getElementById("redoc");
  Redoc.init(node.dataset.specUrl, { disableSearch: true }, node);
})();

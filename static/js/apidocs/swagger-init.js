// Starts Swagger UI on /docs with the app's own OpenAPI document (its URL is in the page,
// with any --root-path). No validator badge: it would send the document to swagger.io.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.dataset.specUrl,
    domNode: node,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();

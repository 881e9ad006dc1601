// Starts Swagger UI on /docs. It lives in this file, not in an inline <script>, so the page runs
// under a Content-Security-Policy with script-src 'self' (see tagwire/serve/security.py).
// validatorUrl: null keeps Swagger UI from asking validator.swagger.io about the document.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();

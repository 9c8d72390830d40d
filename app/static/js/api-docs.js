// Starts Swagger UI on /docs from the vendored bundle (no inline script: the CSP forbids it).
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});

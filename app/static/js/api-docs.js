// Starts Swagger UI on /docs from the vendored bundle (no inline script: the CSP forbids it).
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    // No links inside the operation buttons: a link in a button is two controls in one.
    deepLinking: false,
  });
});

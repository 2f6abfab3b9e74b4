// `make css`: KERN's kern.min.css cut down to the selectors the app uses. The templates, the
// Python code (classes it emits) and app.js are scanned for class names; whatever no file
// names is dropped, with the unused custom properties and keyframes.
module.exports = {
  css: ["assets/kern/kern.min.css"],
  content: [
    "templates/**/*.html",
    "exchange/**/*.py",
    "exchange/static/js/**/*.js",
    // What no file of ours spells out: the elements WTForms' widgets render, and the states
    // KERN styles through attributes (disabled, read-only fields).
    { raw: "<textarea> <input> <select> <option> disabled readonly aria-disabled true", extension: "html" },
  ],
  output: "exchange/static/vendor/kern/kern.min.css",
  variables: true,
  keyframes: true,
  safelist: {
    // Templates build these modifiers from variables: kern-btn--{{ style }},
    // kern-alert--{{ category }}, kern-badge--{{ 'info' if ... }}, kern-icon--{{ ... }}.
    greedy: [
      /^kern-btn--(primary|secondary|tertiary)$/,
      /^kern-(alert|icon)--(danger|success|warning|info)$/,
      /^kern-badge--(info|success)$/,
    ],
  },
};

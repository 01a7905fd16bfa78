// Accord's own behaviour, loaded from 'self' so that the Content Security Policy can refuse
// every inline script and event handler.
(function () {
  "use strict";
  // A select marked data-submit-on-change sends its form as soon as a choice is made.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change")) {
      target.form.submit();
    }
  });
})();

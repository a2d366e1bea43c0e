/* The loan page: on a narrow screen the workflow stepper scrolls sideways; bring the current stage into view. */
(function () {
  "use strict";
  var stepper = document.querySelector(".loan-stepper");
  var current = stepper && (stepper.querySelector("[aria-current]") || stepper.querySelector(".step-done:last-of-type"));
  if (current && stepper.scrollWidth > stepper.clientWidth) {
    stepper.scrollLeft = current.offsetLeft - stepper.clientWidth / 2 + current.clientWidth / 2;
  }
}());

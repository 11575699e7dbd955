// The charts arrive drawn: the server wrote each as SVG into the page, with its table of numbers
// (coalition/explore/svg.py). This script only offers, under each chart, an "Interactive chart"
// button: pressed, it loads the Vega libraries (about 280 KB compressed, once for the page, and the
// world's borders for a map) and swaps the drawing for vega-embed's chart of the same Vega-Lite
// spec (#chart-specs), with tooltips and, on the map, the choice of measure. Nothing heavy loads
// unless asked; without JavaScript the drawings and tables are all there.
(function () {
  "use strict";

  var FRENCH_NUMBERS = { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0$"] };
  var FRENCH_TIME = {
    dateTime: "%A %e %B %Y à %X", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
    days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
  };
  function french() {
    return (document.documentElement.lang || "").indexOf("fr") === 0;
  }

  function options() {
    // The site's Content-Security-Policy allows no eval and no injected <style>: `ast` makes Vega
    // run its expressions through the interpreter bundled with vega-embed instead of compiling
    // them with new Function(), and the styles vega-embed and vega-tooltip would inject live in
    // charts.css.
    var opts = {
      actions: false, renderer: "svg", ast: true, defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    if (french()) {
      opts.formatLocale = FRENCH_NUMBERS;
      opts.timeFormatLocale = FRENCH_TIME;
    }
    return opts;
  }

  var SELF = document.currentScript;
  var libraries = null;

  function load(urls) {
    // The three libraries in order (vega-embed needs the other two), once for the page.
    if (!libraries) {
      libraries = urls.reduce(function (previous, url) {
        return previous.then(function () {
          return new Promise(function (resolve, reject) {
            var script = document.createElement("script");
            script.src = url;
            script.onload = resolve;
            script.onerror = reject;
            document.head.appendChild(script);
          });
        });
      }, Promise.resolve());
      libraries.catch(function () { libraries = null; });  // a later press tries again
    }
    return libraries;
  }

  function interactive(button, drawing, spec) {
    var urls = (SELF && SELF.dataset.vega ? SELF.dataset.vega : "").split(" ").filter(Boolean);
    var paragraph = button.closest(".chart__interactive");
    var canvas = document.createElement("div");
    canvas.className = "chart__canvas";
    canvas.tabIndex = -1;
    drawing.appendChild(canvas);
    button.disabled = true;
    drawing.setAttribute("aria-busy", "true");
    load(urls).then(function () {
      return window.vegaEmbed(canvas, spec, options());
    }).then(function () {
      // A layer without data (no events yet, an empty category) leaves an empty mark group
      // that claims a graphics role with no name; it carries nothing, so it is hidden.
      canvas.querySelectorAll("g.role-mark").forEach(function (group) {
        if (!group.querySelector("path, rect, circle, line, text, symbol, shape")) {
          group.removeAttribute("role");
          group.removeAttribute("aria-roledescription");
          group.setAttribute("aria-hidden", "true");
        }
      });
      drawing.querySelectorAll(".chart-svg").forEach(function (svg) { svg.remove(); });
      drawing.classList.add("is-interactive");
      drawing.removeAttribute("aria-busy");
      paragraph.hidden = true;
      canvas.focus();
    }).catch(function () {
      canvas.remove();
      drawing.removeAttribute("aria-busy");
      button.disabled = false;
      var note = paragraph.querySelector(".chart__failed") || document.createElement("span");
      note.className = "chart__failed";
      note.setAttribute("role", "status");
      note.textContent = button.dataset.failed;
      paragraph.appendChild(note);
    });
  }

  function start() {
    var source = document.getElementById("chart-specs");
    if (!source) { return; }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("[data-interactive]").forEach(function (button) {
      var name = button.dataset.interactive;
      var drawing = document.querySelector('.chart__drawing[data-chart="' + name + '"]');
      if (!drawing || !specs[name]) { return; }
      button.closest(".chart__interactive").hidden = false;
      button.addEventListener("click", function () { interactive(button, drawing, specs[name]); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

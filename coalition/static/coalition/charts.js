// Draws the dashboard's charts with vega-embed from the Vega-Lite specs the server wrote into
// #chart-specs. Each chart is drawn when it comes near the screen, and the Vega libraries
// (about 280 KB compressed) are fetched only when the first chart does, so a reader on a slow
// link gets the figures and tables at once and the map's borders only if they scroll to it. Without JavaScript (or if a chart
// fails) the tables of numbers beside each chart stay open: nothing is lost.
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

  function options() {
    // The site's Content-Security-Policy allows no eval and no injected <style>: `ast` makes Vega
    // run its expressions through the interpreter bundled with vega-embed instead of compiling
    // them with new Function(), and the styles vega-embed and vega-tooltip would inject live in
    // charts.css.
    var opts = {
      actions: false, renderer: "svg", ast: true, defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    if ((document.documentElement.lang || "").indexOf("fr") === 0) {
      opts.formatLocale = FRENCH_NUMBERS;
      opts.timeFormatLocale = FRENCH_TIME;
    }
    return opts;
  }

  var SELF = document.currentScript;
  var libraries = null;

  function load(urls) {
    // The three libraries in order (vega-embed needs the other two), once.
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
    }
    return libraries;
  }

  function draw(element, spec) {
    var urls = (SELF && SELF.dataset.vega ? SELF.dataset.vega : "").split(" ").filter(Boolean);
    load(urls).then(function () {
      return window.vegaEmbed(element, spec, options());
    }).then(function () {
      // A layer without data (no events yet, an empty category) leaves an empty mark group
      // that claims a graphics role with no name; it carries nothing, so it is hidden.
      element.querySelectorAll("g.role-mark").forEach(function (group) {
        if (!group.querySelector("path, rect, circle, line, text, symbol, shape")) {
          group.removeAttribute("role");
          group.removeAttribute("aria-roledescription");
          group.setAttribute("aria-hidden", "true");
        }
      });
      element.classList.add("is-drawn");
      var section = element.closest("section");
      var data = section && section.querySelector("details.chart-data");
      if (data) { data.open = false; }
    }).catch(function () {
      element.classList.add("is-failed");
    });
  }

  function start() {
    var source = document.getElementById("chart-specs");
    if (!source) { return; }
    var specs = JSON.parse(source.textContent);
    var elements = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (!("IntersectionObserver" in window)) {
      elements.forEach(function (el) { draw(el, specs[el.dataset.chart]); });
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target, specs[entry.target.dataset.chart]);
        }
      });
    }, { rootMargin: "200px 0px" });
    elements.forEach(function (el) { if (specs[el.dataset.chart]) { observer.observe(el); } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

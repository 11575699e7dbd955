// Long lists as searchable pickers. Every <select multiple data-picker> (249 countries, 169 SDG
// targets) becomes a Tom Select: type a few letters (accents and case do not matter), choose,
// remove a choice with its ×. A button [data-add-group] adds every country of the group chosen
// beside it, from the members listed in #group-members. Tom Select (pinned in package-lock.json,
// served from node_modules) loads only on pages that carry this script. Without JavaScript the
// plain <select multiple> stays, and "Add these countries" asks the server to add them.
(function () {
  "use strict";

  var SELF = document.currentScript;
  if (!SELF) return;
  var texts = SELF.dataset;

  function load() {
    if (window.TomSelect) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = texts.library;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function styles() {
    // Already in <head> on a page loaded whole; added when htmx brought the step in (it keeps
    // the <head> of the first page).
    return Promise.all(texts.styles.split(" ").map(function (href) {
      var url = new URL(href, location.href).href;
      var links = document.querySelectorAll('link[rel="stylesheet"]');
      for (var i = 0; i < links.length; i++) {
        if (links[i].href === url) return Promise.resolve();
      }
      return new Promise(function (resolve) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        link.onload = link.onerror = resolve;
        document.head.appendChild(link);
      });
    }));
  }

  function enhance(select) {
    if (select.tomselect) return;
    // A page restored from history may hold the picker drawn before: start again from the select.
    var stale = select.nextElementSibling;
    if (stale && stale.classList.contains("ts-wrapper")) stale.remove();
    select.classList.remove("tomselected", "ts-hidden-accessible");
    var picker = new window.TomSelect(select, {
      plugins: { remove_button: { title: texts.remove } },
      maxOptions: null,
      refreshThrottle: 0,  // the options are all in the page: filter at each key
      placeholder: select.dataset.pickerPlaceholder,
      hidePlaceholder: true,
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(texts.noResults) + "</div>";
        }
      }
    });
    // Enter chooses the highlighted option; with none it must not send the form.
    picker.control_input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    var hint = document.getElementById(select.id + "_helptext");
    if (hint && select.dataset.pickerHint) hint.textContent = select.dataset.pickerHint;
  }

  function status(button) {
    var region = button.parentNode.querySelector(".picker-status");
    if (!region) {
      region = document.createElement("p");
      region.className = "picker-status hint";
      region.setAttribute("role", "status");
      button.insertAdjacentElement("afterend", region);
    }
    return region;
  }

  function groupButton(button) {
    if (button.dataset.ready) return;
    button.dataset.ready = "1";
    button.addEventListener("click", function (event) {
      var select = document.getElementById(button.dataset.addGroup);
      var data = document.getElementById("group-members");
      var chooser = button.form && button.form.elements.add_group;
      if (!select || !select.tomselect || !data || !chooser) return;  // the server adds them
      event.preventDefault();
      if (!chooser.value) {
        chooser.focus();
        return;
      }
      var picker = select.tomselect;
      var before = picker.items.length;
      var members = JSON.parse(data.textContent)[chooser.value] || [];
      picker.addItems(members.map(String), true);
      picker.refreshItems();
      status(button).textContent = texts.added.replace("%(count)s", picker.items.length - before);
    });
  }

  Promise.all([load(), styles()]).then(function () {
    document.querySelectorAll("select[data-picker]").forEach(enhance);
    document.querySelectorAll("[data-add-group]").forEach(groupButton);
  });
})();

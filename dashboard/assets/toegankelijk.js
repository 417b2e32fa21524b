/* Accessibility helpers the Dash components do not do themselves (WCAG 2.4.3, 2.4.8):
 * - the current menu item carries aria-current="page";
 * - a Dash 4 dropdown is reached by Tab on its button, not on a hidden input (axe:
 *   aria-hidden-focus), and the table's page buttons have Dutch names (axe: button-name);
 * - checklists and radio groups in a fieldset or named group are plain native inputs, not
 *   listboxes;
 * - typing in an open dropdown searches (focus moves from the option to the search field);
 * - after a filter change re-renders the page, focus returns to the control that was changed
 *   instead of jumping to the top of the document. */
(function () {
  var lastControl = null;

  function markCurrent() {
    var here = window.location.pathname;
    document.querySelectorAll("nav a").forEach(function (link) {
      var path = new URL(link.href, window.location.href).pathname;
      var current = path === here || (path !== "/" && here.indexOf(path + "/") === 0);
      if (current) { link.setAttribute("aria-current", "page"); }
      else { link.removeAttribute("aria-current"); }
    });
  }

  var PAGE_BUTTONS = {"first-page": "Eerste pagina", "previous-page": "Vorige pagina",
                      "next-page": "Volgende pagina", "last-page": "Laatste pagina"};

  function repairControls() {
    document.querySelectorAll(".dash-dropdown-focus-target[tabindex='0']").forEach(function (input) {
      input.setAttribute("tabindex", "-1");
      var button = input.parentElement.querySelector("button.dash-dropdown");
      if (button) { button.setAttribute("tabindex", "0"); }
    });
    // A Dash 4 checklist or radio group is a "listbox" of "option" labels around native
    // inputs (axe: nested-interactive, aria-input-field-name). Inside a fieldset the native
    // checkboxes/radios with their legend are the accessible form, so drop the extra roles.
    document.querySelectorAll("fieldset [role='listbox'], [role='group'] [role='listbox']")
      .forEach(function (list) {
      list.removeAttribute("role");
      list.querySelectorAll("[role='option']").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
    Object.keys(PAGE_BUTTONS).forEach(function (name) {
      document.querySelectorAll("button." + name + ":not([aria-label])").forEach(function (b) {
        b.setAttribute("aria-label", PAGE_BUTTONS[name]);
      });
    });
  }

  function controlOf(element) {
    var box = element && element.closest ? element.closest(".filters [id]") : null;
    return box ? box.id : null;
  }

  document.addEventListener("focusin", function (event) {
    var id = controlOf(event.target);
    if (id) { lastControl = id; }
  });

  function restoreFocus() {
    var active = document.activeElement;
    if (!lastControl || (active && active !== document.body)) { return; }
    var control = document.getElementById(lastControl);
    if (!control) { return; }
    var target = control.matches("input, button, [tabindex]") ? control
      : control.querySelector("input, button, [tabindex]");
    if (target) { target.focus({preventScroll: true}); }
  }

  // An open Dash 4 dropdown puts focus on its first option, so typing did not search: a
  // printable key pressed on an option goes to the dropdown's search field instead.
  var setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  document.addEventListener("keydown", function (event) {
    var content = event.target.closest && event.target.closest(".dash-dropdown-content");
    var typing = event.target.matches && event.target.matches("input[type='search'], "
                                                             + "input[type='text']");
    if (!content || typing || event.key.length !== 1 || event.key === " "
        || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var search = content.querySelector("input[type='search'], input[type='text']");
    if (!search) { return; }
    event.preventDefault();
    search.focus();
    setValue.call(search, search.value + event.key);
    search.dispatchEvent(new Event("input", {bubbles: true}));
  }, true);

  new MutationObserver(function () { markCurrent(); repairControls(); restoreFocus(); })
    .observe(document.documentElement, {childList: true, subtree: true});
  // React puts aria-selected back on a ticked option: take it off again.
  new MutationObserver(repairControls).observe(document.documentElement, {
    attributes: true, subtree: true, attributeFilter: ["role", "aria-selected"]});
  window.addEventListener("popstate", markCurrent);
})();

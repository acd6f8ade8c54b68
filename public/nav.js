// Owlery's pages with JavaScript on: a link or a form fetches the next page and swaps
// the body, so a submit updates the page without a full reload; the islands (the live
// parts) in the new body are then hydrated. Without JavaScript the same links and forms
// work as they are. The server treats these fetches as plain form posts (Accept:
// text/html): the same redirects and the same errors kept for the page.
(() => {
  "use strict";
  let latest = 0;

  /** Fetches `request`, swaps the page for the answer and records it in the history. */
  async function visit(request, { push = true, busy = null } = {}) {
    const visitNo = ++latest;
    const from = location.pathname;
    document.body.setAttribute("aria-busy", "true");
    if (busy) busy.disabled = true;
    let response;
    try {
      response = await fetch(request);
    } catch {
      return fallBack(request);
    }
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith("text/html")) return fallBack(request);
    const html = await response.text();
    if (visitNo !== latest) return;
    const page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    // Live parts of the old page (event streams, polls) stop on this event.
    document.dispatchEvent(new Event("owlery:leave"));
    document.body.replaceChildren(...page.body.childNodes);
    document.body.removeAttribute("aria-busy");
    const url = new URL(response.url);
    if (push && url.href !== location.href) history.pushState(null, "", url);
    else if (!push) history.replaceState(null, "", url);
    hydrateIslands();
    const invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
    else if (url.pathname !== from) window.scrollTo(0, 0);
  }

  /** What the browser would have done: a GET is simply loaded; a POST's page reloaded. */
  function fallBack(request) {
    if (request.method === "GET") location.assign(request.url);
    else location.reload();
  }

  function hydrateIslands() {
    // Until the module has hydrated the first page (it then marks the body), its own
    // pass over the body is still to come and takes these islands too.
    if (!window.__hydrateIsland || document.body.dataset.hydrated !== "true") return;
    for (const island of document.body.querySelectorAll("leptos-island")) {
      window.__hydrateIsland(island, island.dataset.component);
    }
  }

  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
    if (!a || a.target || a.hasAttribute("download") || a.relList.contains("external")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    ev.preventDefault();
    visit(new Request(url, { headers: { Accept: "text/html" } }));
  });

  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    const submitter = ev.submitter;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented) return;
    // Attributes, not properties: an input named "action" or "method" shadows those.
    const attr = (name) => submitter?.getAttribute(`form${name}`) || form.getAttribute(name);
    // A download (data-native on the form or its button) is left to the browser.
    if (attr("target") || form.hasAttribute("data-native") || submitter?.hasAttribute("data-native")) return;
    const method = (attr("method") || "get").toUpperCase();
    const url = new URL(attr("action") || location.href, location.href);
    if (url.origin !== location.origin || (method !== "GET" && method !== "POST")) return;
    const data = new FormData(form, submitter);
    const init = { method, headers: { Accept: "text/html" } };
    if (method === "GET") url.search = new URLSearchParams(data).toString();
    else init.body = attr("enctype") === "multipart/form-data" ? data : new URLSearchParams(data);
    ev.preventDefault();
    visit(new Request(url, init), { busy: submitter });
  });

  window.addEventListener("popstate", () => {
    visit(new Request(location.href, { headers: { Accept: "text/html" } }), { push: false });
  });

  // An island asks for the page to be fetched again (a run moved on): same place, no jump.
  document.addEventListener("owlery:refresh", () => {
    visit(new Request(location.href, { headers: { Accept: "text/html" } }), { push: false });
  });
})();

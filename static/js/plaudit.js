// Plaudit's own script: small, served from /static/, allowed by the CSP nonce.
// htmx does the page updates; this file adds the live channel (WebSocket) and focus care.
(function () {
  "use strict";

  // Words and the number format come from Django's JavaScript catalog (/jsi18n/, loaded
  // just before this file) in the page's language; without it, English.
  var catalog = window.django || {};

  function gettext(text) {
    return catalog.gettext ? catalog.gettext(text) : text;
  }

  function ngettext(singular, plural, count) {
    return catalog.ngettext ? catalog.ngettext(singular, plural, count)
      : (count === 1 ? singular : plural);
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) { return String(values[name]); });
  }

  function format(name, fallback) {
    var value = catalog.get_format ? catalog.get_format(name) : name;
    return value === name ? fallback : value;
  }

  // As plaudit/core/wording.py's number(): grouped the language's way, "2,500" / "2 500".
  function number(value) {
    var grouping = Number(format("NUMBER_GROUPING", 3));
    var digits = String(Math.abs(value));
    if (grouping > 0) {
      var groups = new RegExp("\\B(?=(\\d{" + grouping + "})+(?!\\d))", "g");
      digits = digits.replace(groups, format("THOUSAND_SEPARATOR", ","));
    }
    return (value < 0 ? "-" : "") + digits;
  }

  function points(value) {
    return interpolate(ngettext("%(count)s point", "%(count)s points", Math.abs(value)),
      { count: number(value) });
  }

  function announce(text) {
    var region = document.getElementById("live-announcer");
    if (region) { region.textContent = text; }
  }

  function setBadge(count) {
    var badge = document.getElementById("unread-badge");
    if (!badge) { return; }
    badge.dataset.count = String(count);
    badge.textContent = String(count);
  }

  function showImportProgress(message) {
    var panel = document.querySelector('[data-import-id="' + message.id + '"]');
    if (!panel) { return; }
    var bar = panel.querySelector("progress");
    if (bar) {
      bar.max = Math.max(message.total_rows, 1);
      bar.value = message.status === "succeeded" ? bar.max : message.processed_rows;
    }
    ["processed_rows", "total_rows", "created", "updated", "failed"].forEach(function (name) {
      var field = panel.querySelector('[data-field="' + name + '"]');
      if (field) { field.textContent = String(message[name]); }
    });
    if (message.status === "succeeded" || message.status === "failed") {
      // Let htmx fetch the finished fragment now (errors link, final status).
      if (window.htmx) {
        window.htmx.ajax("GET", window.location.pathname, { target: panel, swap: "outerHTML" });
      }
    }
  }

  // The feed, for everyone: new thank-yous wait behind a link; counts change in place.
  var unseen = {};

  function offerNewRecognition(message) {
    var news = document.getElementById("feed-news");
    if (!news || String(message.giver) === document.body.dataset.person ||
        document.getElementById("recognition-" + message.recognition)) { return; }
    unseen[message.recognition] = true;
    var count = Object.keys(unseen).length;
    news.querySelector("a").textContent = interpolate(
      ngettext("%(count)s new thank-you \u2014 show", "%(count)s new thank-yous \u2014 show", count),
      { count: number(count) });
    news.hidden = false;
    announce(interpolate(
      ngettext("A new thank-you in the feed", "%(count)s new thank-yous in the feed", count),
      { count: number(count) }));
  }

  function showCounts(message) {
    var reactions = document.getElementById("reactions-" + message.recognition);
    var counts = {};
    message.reactions.forEach(function (reaction) { counts[reaction.emoji] = reaction.count; });
    if (reactions) {
      reactions.querySelectorAll("form").forEach(function (form) {
        var emoji = form.querySelector("input[name=emoji]").value;
        var button = form.querySelector("button");
        var count = counts[emoji] || 0;
        button.textContent = emoji;  // as the server draws it: the emoji, then any count
        if (count) {
          var shown = document.createElement("span");
          shown.className = "count";
          shown.textContent = number(count);
          button.append(" ", shown);
        }
        button.setAttribute("aria-label", emoji + " " + number(count));
      });
    }
    var comments = document.getElementById("comments-count-" + message.recognition);
    if (comments) {
      comments.textContent = message.comments
        ? interpolate(ngettext("%(count)s comment", "%(count)s comments", message.comments),
          { count: number(message.comments) })
        : gettext("Comment");
    }
  }

  var handlers = {
    "feed.new": offerNewRecognition,
    "feed.counts": showCounts,
    notification: function (message) {
      var badge = document.getElementById("unread-badge");
      var count = badge ? parseInt(badge.dataset.count || "0", 10) + 1 : 1;
      setBadge(count);
      announce(interpolate(gettext("New notification: %(title)s"), { title: message.title }));
    },
    balance: function (message) {
      var balance = document.getElementById("my-balance");
      if (balance) { balance.textContent = points(message.balance); }
    },
    "import.progress": showImportProgress
  };

  function connect(delay) {
    var path = document.body.dataset.liveUrl;
    if (!path || !("WebSocket" in window)) { return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      delay = 1000;
      document.body.dataset.live = "connected";
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      var handle = handlers[message.type];
      if (handle) { handle(message); }
    });
    socket.addEventListener("close", function () {
      document.body.dataset.live = "disconnected";
      // Reconnect with backoff; a server without WebSockets just stays quiet.
      window.setTimeout(function () { connect(Math.min(delay * 2, 30000)); }, delay);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { connect(1000); });

  // Choosing whom to thank: remove a chosen person; after picking one, clear the search.
  document.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove-chip]");
    if (remove) {
      var chip = remove.closest("li");
      var search = document.getElementById("recipient-search");
      if (chip) { chip.remove(); }
      if (search) { search.focus(); }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "chosen-recipients") {
      var seen = {};
      target.querySelectorAll("input[name=recipients]").forEach(function (input) {
        if (seen[input.value]) { input.closest("li").remove(); }
        seen[input.value] = true;
      });
      var search = document.getElementById("recipient-search");
      var results = document.getElementById("recipient-results");
      if (results) { results.innerHTML = ""; }
      if (search) { search.value = ""; search.focus(); }
    }
  });

  // The main nav on a narrow screen: one "Menu" button shows and hides it (the CSS keeps
  // it shown while the button is hidden, so a page without this script still has a nav).
  var navToggle = document.querySelector(".nav-toggle");
  if (navToggle) {
    navToggle.hidden = false;
    navToggle.addEventListener("click", function () {
      navToggle.setAttribute("aria-expanded",
        navToggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
  }

  // Header menus (<details>) close on Escape, giving focus back to what opened them, and
  // when a click lands outside them, as menus do.
  function openHeaderMenus() {
    return document.querySelectorAll(".site-header details[open]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var menus = openHeaderMenus();
    menus.forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) { menu.querySelector("summary").focus(); }
    });
    if (menus.length) { return; }  // one Escape closes one level
    if (navToggle && navToggle.getAttribute("aria-expanded") === "true" &&
        document.getElementById("main-nav").contains(document.activeElement)) {
      navToggle.setAttribute("aria-expanded", "false");
      navToggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    openHeaderMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });

  // Following an unread notification's link marks it read on the way (in the background:
  // the request outlives the page it left).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-mark-read]");
    if (!link) { return; }
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["HX-Request"] = "true";
    window.fetch(link.dataset.markRead, {
      method: "POST", headers: headers, credentials: "same-origin", keepalive: true
    });
  });

  // After htmx swaps content in, keep keyboard users from being stranded on a removed element.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && !document.body.contains(document.activeElement)) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });

  // A table wider than the screen scrolls inside its .table-wrap. Keyboard users can only
  // scroll what takes focus, so while it overflows the wrapper is a named region in the
  // Tab order (WCAG 2.1.1; axe: scrollable-region-focusable).
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var table = wrap.querySelector("table");
        var figure = wrap.closest("figure");
        var section = wrap.closest("section");
        var title = (table && table.caption) || (figure && figure.querySelector("figcaption")) ||
          (section && section.querySelector("h1, h2, h3"));
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", title ? title.textContent.trim() : gettext("Table"));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollableTables);
  document.addEventListener("htmx:afterSettle", scrollableTables);
  document.addEventListener("toggle", scrollableTables, true);  // a <details> opened
  window.addEventListener("resize", scrollableTables);
})();

/* Taking an assessment: one question at a time, autosave with an offline queue,
 * a countdown driven by the server's deadline, and integrity signals.
 *
 * Every change gets a revision number that only grows (per question, kept in
 * localStorage). Saves wait in a queue in localStorage and are sent in order;
 * the server keeps the highest revision it has seen, so replays and stale
 * saves change nothing. While offline the queue simply waits.
 */
(function () {
  "use strict";

  const root = document.getElementById("take");
  if (!root) return;

  const token = root.dataset.token;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const deadline = Date.parse(root.dataset.deadline);
  let clockOffset = Date.parse(root.dataset.serverNow) - Date.now();
  const storeKey = "yardstick:" + token;
  const panels = Array.from(root.querySelectorAll(".q-panel[data-position]"));
  const byPosition = new Map(panels.map((p) => [Number(p.dataset.position), p]));
  const reviewPanel = document.getElementById("q-review");
  const saveState = document.getElementById("save-state");
  const timer = document.getElementById("timer");
  const announce = document.getElementById("timer-announce");

  /* ---------- storage ---------- */

  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey)) || { revisions: {}, queue: [] };
    } catch (e) {
      return { revisions: {}, queue: [] };
    }
  }
  const state = load();
  function persist() {
    try {
      localStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* storage full or disabled: the in-memory queue still works */
    }
  }

  panels.forEach((panel) => {
    const position = panel.dataset.position;
    const serverRevision = Number(panel.dataset.revision || 0);
    state.revisions[position] = Math.max(state.revisions[position] || 0, serverRevision);
  });

  /* ---------- reading and writing answers ---------- */

  function readAnswer(panel) {
    const type = panel.dataset.type;
    if (type === "multiple_choice") {
      return Array.from(panel.querySelectorAll("input[type=checkbox]:checked")).map((i) => i.value);
    }
    if (type === "single_choice" || type === "true_false") {
      const picked = panel.querySelector("input[type=radio]:checked");
      return picked ? picked.value : null;
    }
    const field = panel.querySelector(".answer-text");
    return field ? field.value : null;
  }

  function writeAnswer(panel, answer) {
    const type = panel.dataset.type;
    if (type === "multiple_choice" || type === "single_choice" || type === "true_false") {
      const wanted = new Set([].concat(answer || []).map(String));
      panel.querySelectorAll("input.form-check-input").forEach((input) => {
        input.checked = wanted.has(input.value);
      });
    } else {
      const field = panel.querySelector(".answer-text");
      if (field) field.value = answer || "";
    }
  }

  function isAnswered(panel) {
    const answer = readAnswer(panel);
    return Array.isArray(answer) ? answer.length > 0 : Boolean(answer && String(answer).trim());
  }

  /* ---------- save queue ---------- */

  let sending = false;
  let retryTimer = null;
  let closed = false;
  const shownAt = {};

  function setSaveState(kind, text) {
    saveState.dataset.state = kind;
    saveState.textContent = text;
  }

  function enqueue(position) {
    if (closed) return;
    const panel = byPosition.get(position);
    const revision = (state.revisions[position] || 0) + 1;
    state.revisions[position] = revision;
    const seconds = shownAt[position] ? Math.round((Date.now() - shownAt[position]) / 1000) : 0;
    if (shownAt[position]) shownAt[position] = Date.now();
    state.queue = state.queue.filter((entry) => entry.position !== position);
    state.queue.push({ position: position, answer: readAnswer(panel), revision: revision, seconds: seconds });
    persist();
    updateNavigator(position);
    flush();
  }

  const timers = {};
  function scheduleSave(position) {
    clearTimeout(timers[position]);
    timers[position] = setTimeout(() => enqueue(position), 800);
    setSaveState("pending", "Unsaved changes…");
  }
  function saveNow(position) {
    if (timers[position]) {
      clearTimeout(timers[position]);
      delete timers[position];
      enqueue(position);
    }
  }

  function flush() {
    if (sending || closed || !state.queue.length) {
      if (!state.queue.length && !sending && !closed) setSaveState("saved", "All answers saved");
      return Promise.resolve();
    }
    sending = true;
    setSaveState("saving", "Saving…");
    const entry = state.queue[0];
    return fetch(root.dataset.saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(entry),
      credentials: "same-origin",
    })
      .then((response) =>
        response.json().catch(() => ({})).then((body) => ({ status: response.status, body: body }))
      )
      .then((result) => {
        sending = false;
        if (result.status === 200) {
          if (result.body.server_now) clockOffset = Date.parse(result.body.server_now) - Date.now();
          state.queue = state.queue.filter(
            (e) => !(e.position === entry.position && e.revision <= entry.revision)
          );
          persist();
          return flush();
        }
        if (result.status === 409) {
          closed = true;
          state.queue = [];
          persist();
          setSaveState("closed", result.body.error || "This assessment is closed.");
          setTimeout(() => window.location.assign(root.dataset.doneUrl), 2500);
          return undefined;
        }
        if (result.status >= 400 && result.status < 500) {
          state.queue.shift();
          persist();
          setSaveState("error", result.body.error || "An answer could not be saved.");
          return flush();
        }
        throw new Error("server " + result.status);
      })
      .catch(() => {
        sending = false;
        setSaveState("offline", "Offline — your answers are kept on this device and will be sent when the connection returns");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(flush, 3000);
      });
  }

  window.addEventListener("online", flush);

  /* Answers typed offline before a reload come back from the queue. */
  state.queue.forEach((entry) => {
    const panel = byPosition.get(entry.position);
    if (panel && entry.revision > Number(panel.dataset.revision || 0)) writeAnswer(panel, entry.answer);
  });

  /* ---------- navigation ---------- */

  let current = null;

  function updateNavigator(position) {
    const panel = byPosition.get(position);
    const button = root.querySelector('.nav-q[data-goto="' + position + '"]');
    if (!panel || !button) return;
    const answered = isAnswered(panel);
    const flagged = panel.querySelector(".flag-toggle").getAttribute("aria-pressed") === "true";
    button.classList.toggle("answered", answered);
    button.classList.toggle("flagged", flagged);
    const parts = ["Question " + position, answered ? "answered" : "not answered"];
    if (flagged) parts.push("flagged");
    button.setAttribute("aria-label", parts.join(", "));
  }

  function updateReview() {
    let unanswered = 0;
    let flagged = 0;
    panels.forEach((panel) => {
      const position = panel.dataset.position;
      const answered = isAnswered(panel);
      const isFlagged = panel.querySelector(".flag-toggle").getAttribute("aria-pressed") === "true";
      if (!answered) unanswered += 1;
      if (isFlagged) flagged += 1;
      const row = reviewPanel.querySelector('[data-review="' + position + '"] .review-state');
      row.textContent = (answered ? "answered" : "not answered") + (isFlagged ? ", flagged" : "");
      row.parentElement.classList.toggle("unanswered", !answered);
    });
    const summary = document.getElementById("review-summary");
    summary.textContent =
      unanswered === 0
        ? "Every question has an answer." + (flagged ? " " + flagged + " flagged for review." : "")
        : unanswered + " question(s) not answered yet." + (flagged ? " " + flagged + " flagged." : "");
    return unanswered;
  }

  function show(target, focus) {
    if (current !== null && current !== "review") saveNow(current);
    panels.concat([reviewPanel]).forEach((panel) => {
      panel.hidden = true;
    });
    root.querySelectorAll(".nav-q").forEach((b) => b.removeAttribute("aria-current"));
    let panel;
    if (target === "review") {
      panel = reviewPanel;
      updateReview();
    } else {
      target = Number(target);
      panel = byPosition.get(target);
      if (!panel) return;
      shownAt[target] = Date.now();
      const button = root.querySelector('.nav-q[data-goto="' + target + '"]');
      if (button) button.setAttribute("aria-current", "step");
    }
    panel.hidden = false;
    current = target;
    history.replaceState(null, "", "#" + (target === "review" ? "review" : "q" + target));
    if (focus) {
      const heading = panel.querySelector("h2");
      if (heading) heading.focus();
    }
  }

  root.addEventListener("click", (event) => {
    const go = event.target.closest("[data-goto]");
    if (go) {
      show(go.dataset.goto === "review" ? "review" : Number(go.dataset.goto), true);
      return;
    }
    const flag = event.target.closest("[data-flag]");
    if (flag) toggleFlag(flag);
    const run = event.target.closest("[data-run]");
    if (run) runQuery(Number(run.dataset.run), run);
  });

  /* ---------- answering ---------- */

  root.addEventListener("input", (event) => {
    const panel = event.target.closest(".q-panel[data-position]");
    if (!panel) return;
    const position = Number(panel.dataset.position);
    if (event.target.matches(".answer-text")) scheduleSave(position);
  });
  root.addEventListener("change", (event) => {
    const panel = event.target.closest(".q-panel[data-position]");
    if (!panel) return;
    const position = Number(panel.dataset.position);
    if (event.target.matches(".form-check-input")) enqueue(position);
    else saveNow(position);
  });
  root.addEventListener("focusout", (event) => {
    const panel = event.target.closest(".q-panel[data-position]");
    if (panel && event.target.matches(".answer-text")) saveNow(Number(panel.dataset.position));
  });

  /* SQL editor: Tab indents; Escape then Tab leaves the field (keyboard users are not trapped). */
  let escaped = false;
  root.addEventListener("keydown", (event) => {
    if (!event.target.matches(".sql-editor")) return;
    if (event.key === "Escape") {
      escaped = true;
      return;
    }
    if (event.key === "Tab" && !escaped && !event.shiftKey) {
      event.preventDefault();
      const field = event.target;
      const start = field.selectionStart;
      field.setRangeText("  ", start, field.selectionEnd, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (event.key !== "Escape") escaped = false;
  });

  function toggleFlag(button) {
    const position = Number(button.dataset.flag);
    const flagged = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(flagged));
    button.textContent = flagged ? "Flagged — remove flag" : "Flag for review";
    updateNavigator(position);
    fetch(root.dataset.flagUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: position, flagged: flagged }),
      credentials: "same-origin",
    }).catch(() => {});
  }

  function runQuery(position, button) {
    const panel = byPosition.get(position);
    const out = panel.querySelector(".sql-result");
    button.disabled = true;
    out.textContent = "Running…";
    fetch(root.dataset.runUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: position, query: readAnswer(panel) }),
      credentials: "same-origin",
    })
      .then((r) => r.json())
      .then((body) => renderResult(out, body))
      .catch(() => {
        out.textContent = "Could not run the query: you seem to be offline.";
      })
      .finally(() => {
        button.disabled = false;
      });
  }

  function renderResult(out, body) {
    out.textContent = "";
    if (body.error) {
      const p = document.createElement("p");
      p.className = "sql-error";
      p.textContent = body.error;
      out.appendChild(p);
      return;
    }
    const table = document.createElement("table");
    table.className = "table table-sm table-bordered sql-table";
    const head = table.createTHead().insertRow();
    body.columns.forEach((name) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    const tbody = table.createTBody();
    body.rows.forEach((row) => {
      const tr = tbody.insertRow();
      row.forEach((value) => {
        tr.insertCell().textContent = value === null ? "NULL" : String(value);
      });
    });
    const caption = table.createCaption();
    caption.textContent = body.rows.length + " row(s)" + (body.truncated ? " (first 50 shown)" : "");
    out.appendChild(table);
  }

  /* ---------- submitting ---------- */

  const form = document.getElementById("submit-form");
  const dialog = document.getElementById("confirm-submit");
  let submitting = false;

  function finalFlush() {
    Object.keys(timers).forEach((position) => saveNow(Number(position)));
    const waitFor = new Promise((resolve) => {
      const started = Date.now();
      (function check() {
        if (!state.queue.length || closed || Date.now() - started > 4000) resolve();
        else {
          flush();
          setTimeout(check, 200);
        }
      })();
    });
    return waitFor;
  }

  function submitNow() {
    if (submitting) return;
    submitting = true;
    finalFlush().then(() => {
      state.queue = [];
      persist();
      form.submit();
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const unanswered = updateReview();
    document.getElementById("confirm-text").textContent =
      (unanswered ? unanswered + " question(s) are not answered. " : "") +
      "You cannot change your answers after submitting.";
    if (typeof dialog.showModal === "function") dialog.showModal();
    else if (window.confirm(document.getElementById("confirm-text").textContent)) submitNow();
  });
  document.getElementById("confirm-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("confirm-ok").addEventListener("click", () => {
    dialog.close();
    submitNow();
  });

  /* ---------- the clock ---------- */

  const warned = {};
  function pad(n) {
    return String(n).padStart(2, "0");
  }
  function tick() {
    const left = Math.max(0, deadline - (Date.now() + clockOffset));
    const seconds = Math.floor(left / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    timer.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    timer.parentElement.classList.toggle("low", seconds <= 300);
    [
      [300, "5 minutes left."],
      [60, "1 minute left. Your answers are saved as you go."],
    ].forEach(([limit, text]) => {
      if (seconds <= limit && seconds > 0 && !warned[limit]) {
        warned[limit] = true;
        announce.textContent = text;
      }
    });
    if (left <= 0 && !submitting) {
      announce.textContent = "Time is up. Submitting your answers.";
      submitNow();
    }
  }
  tick();
  setInterval(tick, 1000);

  /* ---------- integrity signals (recorded, never blocking) ---------- */

  function signal(kind, extra) {
    const payload = JSON.stringify(Object.assign({ kind: kind, position: current }, extra || {}));
    const blob = new Blob([payload], { type: "application/json" });
    if (!(navigator.sendBeacon && navigator.sendBeacon(root.dataset.eventUrl, blob))) {
      fetch(root.dataset.eventUrl, { method: "POST", body: payload, keepalive: true }).catch(() => {});
    }
  }

  let awaySince = null;
  function leave() {
    if (awaySince === null) awaySince = Date.now();
  }
  function back() {
    if (awaySince !== null) {
      signal("focus_lost", { duration_ms: Date.now() - awaySince });
      awaySince = null;
    }
  }
  document.addEventListener("visibilitychange", () => (document.hidden ? leave() : back()));
  window.addEventListener("blur", leave);
  window.addEventListener("focus", back);
  root.addEventListener("paste", (event) => {
    if (!event.target.matches(".answer-text")) return;
    const text = (event.clipboardData && event.clipboardData.getData("text")) || "";
    signal("paste", { length: text.length });
  });
  root.addEventListener("copy", () => {
    const selection = window.getSelection();
    const text = String(selection);
    const node = selection.anchorNode;
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    if (text && element && element.closest("[data-prompt]")) signal("copy", { length: text.length });
  });
  if (root.dataset.fullscreen === "1") {
    const button = document.getElementById("fullscreen");
    button.hidden = false;
    button.addEventListener("click", () => {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", () => {
      button.hidden = Boolean(document.fullscreenElement);
      if (!document.fullscreenElement) signal("fullscreen_exit");
    });
  }
  window.addEventListener("pagehide", persist);

  /* ---------- start ---------- */

  const hash = window.location.hash;
  const start = hash === "#review" ? "review" : Number((hash.match(/^#q(\d+)$/) || [])[1]) || 1;
  show(byPosition.has(start) || start === "review" ? start : 1, false);
  panels.forEach((panel) => updateNavigator(Number(panel.dataset.position)));
  flush();
})();

// The review studio's page script: it sends each correction to the studio and puts the answer
// (the article's pane and row, made by the server) in place. While the studio is still reading
// the articles, it asks for the open article's pane once that is read, and for the rows that
// changed, until the whole collection is in. No library, nothing from the network.
"use strict";

(() => {
  const token = document.querySelector('meta[name="studio-token"]').content;
  let version = document.querySelector('meta[name="studio-version"]').content;
  const pane = document.getElementById("pane");
  const status = document.getElementById("status");

  let fading = null;

  function show(lines, kind) {
    status.textContent = lines.join("\n");
    status.className = "status " + (kind || "");
    clearTimeout(fading);
    if (kind === "saved") {
      fading = setTimeout(() => { status.textContent = ""; }, 4000);  // errors stay until the next answer
    }
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Studio-Token": token },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (response.status === 409 && answer.reload) {
      show(answer.error, "error");
      window.location.reload();  // the file was edited elsewhere: never overwrite it
      return null;
    }
    if (!response.ok) {
      show(answer.error || ["error: the studio refused the request"], "error");
      return null;
    }
    return answer;
  }

  function article() {
    return Number(pane.dataset.article);
  }

  function putRow(number, html) {
    const row = document.querySelector(`tr.article-row[data-article="${number}"]`);
    if (row) {
      row.outerHTML = html;
    }
  }

  function putPane(answer) {
    pane.innerHTML = answer.pane;
    pane.dataset.status = answer.status;
    delete pane.dataset.pending;
    pane.removeAttribute("aria-busy");
    putRow(answer.number, answer.row);
  }

  function update(answer, message) {
    version = answer.version;
    putPane(answer);
    show([message], "saved");
  }

  // ---- while the articles are being read -------------------------------------------------

  const nav = document.querySelector("nav.articles");
  const progress = document.getElementById("progress");

  async function loadPane() {
    // The server waits (a while) until the article is read; it is read before the others.
    for (;;) {
      const response = await fetch(`/api/pane?article=${article()}`);
      if (response.ok) {
        putPane(await response.json());
        return;
      }
      if (response.status !== 503) {
        show((await response.json()).error || ["error: the studio did not send the article"], "error");
        return;
      }
    }
  }

  function editing() {
    return pane.contains(document.activeElement) && document.activeElement.matches("input");
  }

  async function refreshPane() {
    // The collection-wide checks are in: the open article's pane follows, unless a field is being
    // typed in (then once it is left).
    if (editing()) {
      pane.addEventListener("focusout", () => setTimeout(refreshPane, 0), { once: true });
      return;
    }
    const response = await fetch(`/api/pane?article=${article()}`);
    if (response.ok) {
      putPane(await response.json());
    }
  }

  async function poll() {
    let answer;
    try {
      const response = await fetch(`/api/states?since=${nav.dataset.sequence}&current=${article()}`);
      answer = await response.json();
    } catch (error) {
      setTimeout(poll, 1000);  // the studio is busy or stopping: ask again later
      return;
    }
    for (const [number, html] of Object.entries(answer.rows)) {
      putRow(number, html);
    }
    nav.dataset.sequence = answer.sequence;
    nav.dataset.ready = answer.ready;
    if (answer.problems.length) {
      show(answer.problems, "error");
    }
    if (answer.complete) {
      nav.dataset.complete = "true";
      progress.textContent = `All ${answer.total} articles read and checked against each other.`;
      if (pane.dataset.status === "read") {
        refreshPane();
      }
    } else if (answer.done) {
      progress.textContent = "The collection cannot be loaded as it is: see the errors.";
    } else {
      progress.textContent = `Reading the articles: ${answer.ready} of ${answer.total}…`;
      setTimeout(poll, 300);
    }
  }

  if (pane.dataset.pending) {
    loadPane();
  }
  if (nav.dataset.complete !== "true") {
    setTimeout(poll, 200);
  }

  async function toggle(block) {
    const answer = await post("/api/toggle", { version, article: article(), block });
    if (answer) {
      update(answer, "Saved to the collection file.");
    }
  }

  async function setField(input) {
    const answer = await post("/api/field", { version, article: article(), key: input.name, value: input.value });
    if (answer) {
      update(answer, `Saved ${input.name} to the collection file.`);
    }
  }

  async function siteRule(block) {
    const found = await post("/api/site-rule/preview", { version, article: article(), block });
    if (!found) {
      return;
    }
    const box = document.createElement("div");
    box.className = "site-rule";
    box.setAttribute("role", "dialog");
    const heading = document.createElement("h3");
    heading.textContent = `Rule ${found.rule.id}, for every ${found.site} article (${found.pack}), would remove:`;
    const list = document.createElement("ul");
    for (const match of found.matches) {
      const item = document.createElement("li");
      item.dataset.article = match.number;
      item.textContent = `${match.number}. ${match.title}: “${match.text}”`;
      list.append(item);
    }
    const save = document.createElement("button");
    save.type = "button";
    save.dataset.action = "save-rule";
    save.textContent = "Save rule";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    box.append(heading, list, save, cancel);
    document.querySelectorAll(".site-rule").forEach((old) => old.remove());
    pane.querySelector(`[data-block="${block}"]`).after(box);
    cancel.addEventListener("click", () => box.remove());
    save.addEventListener("click", async () => {
      const answer = await post("/api/site-rule/save", { version, article: article(), block });
      if (answer) {
        update(answer, `Saved rule ${found.rule.id}; it removes ${found.matches.length} block(s).`);
      }
    });
  }

  pane.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    if (button.dataset.action === "toggle") {
      toggle(button.dataset.block);
    } else if (button.dataset.action === "site-rule") {
      siteRule(button.dataset.block);
    }
  });

  pane.addEventListener("change", (event) => {
    if (event.target.matches("form.fields input")) {
      setField(event.target);
    }
  });

  pane.addEventListener("submit", (event) => {
    event.preventDefault();  // Enter in a field: saved by its change event
    if (document.activeElement && document.activeElement.matches("form.fields input")) {
      document.activeElement.blur();
    }
  });

  const log = document.getElementById("build-log");

  async function follow() {
    const response = await fetch("/api/build");
    const state = await response.json();
    log.hidden = false;
    log.textContent = state.lines.join("\n");
    if (state.running) {
      setTimeout(follow, 400);
    } else if (state.exit_code === 0) {
      show([`Built ${state.formats.join(", ")}.`], "saved");
    } else {
      show([`The build failed (exit code ${state.exit_code}).`], "error");
    }
  }

  document.getElementById("build-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const formats = [...event.target.querySelectorAll('input[name="format"]:checked')].map((box) => box.value);
    const answer = await post("/api/build", { formats });
    if (answer) {
      show(["Building…"], "");
      follow();
    }
  });
})();

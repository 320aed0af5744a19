// The dashboard's live parts. Every second (while the page is visible) it
// reads the emulator's JSON control endpoints, GET /_emulator/state,
// /_emulator/requests and /_emulator/config, and redraws the tables and the
// settings' "Now" column; the settings form is sent as PUT /_emulator/config.
// Every value goes into the page as text (textContent), never as HTML.
// lookupPath, formatCell and failed do what their namesakes in ui.go do, so
// the server's first rendering and this script's agree.
"use strict";

(function () {
  const pollMillis = 1000;
  const maxRows = Number(document.body.dataset.maxRows) || 200;
  const live = document.getElementById("live");
  const form = document.getElementById("config-form");
  const formStatus = document.getElementById("config-status");

  // lookupPath follows a column path: dot-separated keys, "length" counts
  // an array (an absent one counts 0), "" is the value itself.
  function lookupPath(v, path) {
    if (path === "") {
      return v;
    }
    for (const seg of path.split(".")) {
      if (Array.isArray(v)) {
        if (seg !== "length") {
          return null;
        }
        v = v.length;
      } else if (v === null || v === undefined) {
        if (seg !== "length") {
          return null;
        }
        v = 0;
      } else if (typeof v === "object") {
        v = Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] : null;
      } else {
        return null;
      }
    }
    return v;
  }

  // canonicalJSON writes JSON with object keys sorted, as Go writes a map.
  function canonicalJSON(v) {
    if (Array.isArray(v)) {
      return "[" + v.map(canonicalJSON).join(",") + "]";
    }
    if (v !== null && typeof v === "object") {
      return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canonicalJSON(v[k])).join(",") + "}";
    }
    return JSON.stringify(v);
  }

  function formatCell(v) {
    if (v === null || v === undefined) {
      return "";
    }
    if (typeof v === "string") {
      return v;
    }
    if (typeof v === "number" || typeof v === "boolean") {
      return String(v);
    }
    return canonicalJSON(v);
  }

  // failed says whether a logged request got anything but a 2xx answer.
  function failed(item) {
    const status = lookupPath(item, "Status");
    return typeof status === "number" && (status < 200 || status > 299);
  }

  function fillTable(table, items) {
    const paths = Array.from(table.tHead.rows[0].cells, (th) => th.dataset.path);
    const isLog = table.dataset.source === "requests";
    const rows = items.map((item) => ({
      failed: isLog && failed(item),
      cells: paths.map((p) => formatCell(lookupPath(item, p))),
    }));
    const signature = JSON.stringify(rows);
    if (table.dataset.signature === signature) {
      return; // unchanged: keep the rows (and any text selected in them)
    }
    table.dataset.signature = signature;
    const body = document.createElement("tbody");
    for (const row of rows) {
      const tr = body.insertRow();
      if (row.failed) {
        tr.className = "failed";
      }
      for (const text of row.cells) {
        tr.insertCell().textContent = text;
      }
    }
    if (rows.length === 0) {
      const tr = body.insertRow();
      tr.className = "empty";
      const td = tr.insertCell();
      td.colSpan = paths.length;
      td.textContent = "none";
    }
    table.replaceChild(body, table.tBodies[0]);
    table.closest("section").querySelector(".count").textContent = String(rows.length);
  }

  function showConfig(config) {
    for (const cell of document.querySelectorAll("[data-config]")) {
      const v = config[cell.dataset.config];
      cell.textContent = Array.isArray(v) ? v.join(", ") : formatCell(v);
    }
  }

  function setLive(text, stale) {
    live.textContent = text;
    live.classList.toggle("stale", Boolean(stale));
  }

  async function getJSON(path) {
    const res = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
    if (!res.ok) {
      throw new Error(path + " answered HTTP " + res.status);
    }
    return res.json();
  }

  async function refresh() {
    const [state, requests, config] = await Promise.all([
      getJSON("/_emulator/state"),
      getJSON("/_emulator/requests"),
      getJSON("/_emulator/config"),
    ]);
    for (const table of document.querySelectorAll("table[data-source]")) {
      let items;
      if (table.dataset.source === "requests") {
        items = (requests || []).slice(-maxRows).reverse();
      } else {
        items = lookupPath(state, table.dataset.source);
      }
      fillTable(table, Array.isArray(items) ? items : []);
    }
    showConfig(config);
  }

  async function poll() {
    if (!document.hidden) {
      try {
        await refresh();
        setLive("Live: updated at " + new Date().toLocaleTimeString());
      } catch (err) {
        setLive("Not updating: " + err.message, true);
      }
    }
    setTimeout(poll, pollMillis);
  }

  function list(text) {
    return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      PropagationDelay: f.namedItem("PropagationDelay").value.trim(),
      ReadLag: f.namedItem("ReadLag").value,
      QPS: Number(f.namedItem("QPS").value),
      Latency: f.namedItem("Latency").value.trim(),
      LatencyActions: list(f.namedItem("LatencyActions").value),
      FaultRate: Number(f.namedItem("FaultRate").value),
      FaultKinds: Array.from(form.querySelectorAll('input[name="FaultKinds"]:checked'), (box) => box.value),
      FaultActions: list(f.namedItem("FaultActions").value),
      FaultLimit: Number(f.namedItem("FaultLimit").value),
    };
    formStatus.className = "";
    formStatus.textContent = "Applying…";
    try {
      const res = await fetch("/_emulator/config", {
        method: "PUT",
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await res.json();
      if (!res.ok) {
        formStatus.className = "error";
        formStatus.textContent = "Refused: " + answer.Code + ": " + answer.Message;
        return;
      }
      showConfig(answer);
      formStatus.textContent = "Applied.";
    } catch (err) {
      formStatus.className = "error";
      formStatus.textContent = "Failed: " + err.message;
    }
  });

  poll();
})();

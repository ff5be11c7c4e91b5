// The Upload page: drag and drop onto the drop zone, a size check before sending,
// the bytes' progress while the file goes up, and HTMX showing the answer
// (the live run progress, or what went wrong) in #upload-result.
(function () {
  "use strict";

  const form = document.getElementById("upload-form");
  if (!form) return;
  const zone = document.getElementById("upload-dropzone");
  const input = form.querySelector("input[type=file]");
  const label = document.getElementById("upload-file-name");
  const bar = document.getElementById("upload-bytes");
  const result = document.getElementById("upload-result");
  const limit = Number(form.dataset.limit || 0);

  function showFile() {
    const file = input.files && input.files[0];
    label.textContent = file ? `${file.name} · ${(file.size / 1048576).toFixed(1)} MB` : "";
    // A new file replaces a kept one offered after an earlier attempt.
    if (file) form.querySelector("input[name=source_file]").value = "";
  }

  function showProblem(text) {
    const box = document.createElement("article");
    box.className = "atlas-message atlas-error";
    box.textContent = text;
    result.replaceChildren(box);
  }

  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragover");
    })
  );
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.remove("dragover");
    })
  );
  zone.addEventListener("drop", (event) => {
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    const transfer = new DataTransfer();
    transfer.items.add(files[0]);
    input.files = transfer.files;
    showFile();
  });
  input.addEventListener("change", showFile);

  // Refuse an oversized file before sending a byte of it.
  form.addEventListener("htmx:confirm", (event) => {
    const file = input.files && input.files[0];
    if (event.target === form && file && limit && file.size > limit) {
      event.preventDefault();
      showProblem(`The file is larger than the upload limit of ${form.dataset.limitText}. ` +
        "Split it, compress it (gzip), or load it from the server with manage.py atlas_ingest.");
    }
  });
  form.addEventListener("htmx:xhr:progress", (event) => {
    if (!event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  form.addEventListener("htmx:afterRequest", () => {
    bar.hidden = true;
    bar.value = 0;
  });

  // The server answers problems with 400, 409 or 413 and a fragment saying what to do: show it.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 400 || status === 409 || status === 413) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:sendError", () => {
    showProblem("The upload did not reach the server. Check the connection and try again.");
  });
})();

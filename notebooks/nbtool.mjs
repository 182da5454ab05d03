// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

// Helpers for notebooks/run.sh, on the .ipynb files dotnet-repl writes:
//   node nbtool.mjs check FILE                 lists the cells whose output is an error; exit 1 when there is one
//   node nbtool.mjs tidy FILE DEST REPO_ROOT   writes FILE to DEST as a notebook to commit (see tidy below)

import { existsSync, readFileSync, writeFileSync } from "node:fs";

const [command, file, dest, repoRoot] = process.argv.slice(2);
const notebook = JSON.parse(readFileSync(file, "utf8"));
const text = (value) => (Array.isArray(value) ? value.join("") : value ?? "");

if (command === "check") {
  let failures = 0;
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error") {
        failures++;
        const firstLine = text(cell.source).split("\n").find((line) => line.trim() !== "") ?? "";
        console.log(`  cell ${index + 1} (${firstLine.trim().slice(0, 80)}): ${text(output.evalue).split("\n")[0]}`);
      }
    }
  });
  process.exit(failures > 0 ? 1 : 0);
} else if (command === "tidy") {
  // What changes on every run without saying anything is left out, so that a re-run shows as a small diff:
  // dotnet-repl's per-cell timestamps, the package restore's progress frames (only the last one says what was
  // installed), and this machine's path to the repository (the local feed), written as the notebooks' "..".
  const isRestoreProgress = (output) =>
    output.output_type === "display_data" && /Restore sources|Installing Packages|Installed Packages/.test(text(output.data?.["text/html"]));
  for (const cell of notebook.cells) {
    if (cell.metadata) {
      delete cell.metadata.dotnet_repl_cellExecutionStartTime;
      delete cell.metadata.dotnet_repl_cellExecutionEndTime;
    }

    const outputs = cell.outputs ?? [];
    const lastProgress = outputs.map(isRestoreProgress).lastIndexOf(true);
    cell.outputs = [];
    outputs.forEach((output, i) => {
      if (isRestoreProgress(output) && i !== lastProgress) {
        return;
      }

      // A streamed answer is written piece by piece; one stdout output per cell reads as Jupyter shows it.
      const previous = cell.outputs[cell.outputs.length - 1];
      if (output.output_type === "stream" && previous?.output_type === "stream" && previous.name === output.name) {
        previous.text = [text(previous.text) + text(output.text)];
        return;
      }

      cell.outputs.push(output);
    });
    for (const output of cell.outputs) {
      if (output.output_type === "stream") {
        output.text = text(output.text).split(/(?<=\n)/);
      }
    }
  }

  // The notebook's own metadata (kernelspec, Polyglot's kernel info) stays as the editor wrote it.
  if (existsSync(dest)) {
    const original = JSON.parse(readFileSync(dest, "utf8"));
    notebook.metadata = original.metadata;
    notebook.nbformat_minor = original.nbformat_minor;
  }

  let json = JSON.stringify(notebook, null, 1) + "\n";
  json = json.split(repoRoot.replace(/\/$/, "")).join("..");
  writeFileSync(dest, json);
} else {
  console.error("usage: node nbtool.mjs check FILE | tidy FILE DEST REPO_ROOT");
  process.exit(2);
}

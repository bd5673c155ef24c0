"""What a browser downloads of the split WebAssembly bundle, per page (not a test).

Reads the site's pkg/ directory after `cargo leptos build --split`: the main module
(`<name>.wasm`, all the landing page needs) and, from `__wasm_split_manifest.json`, the
chunks each lazy page needs beside it. Prints Markdown rows with raw, gzip -9 and brotli 11
bytes: the landing page, each lazy page (main module plus its chunks) and the largest page.

    python scripts/wasm-sizes.py <pkg dir> <output name>
"""

import gzip
import json
import pathlib
import re
import sys

import brotli

pkg = pathlib.Path(sys.argv[1])
name = sys.argv[2]


def sizes(paths):
    raw = gz = br = 0
    for path in paths:
        data = path.read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=9))
        br += len(brotli.compress(data, quality=11))
    return raw, gz, br


def row(label, paths):
    raw, gz, br = sizes(paths)
    return f"| {label} | {raw:,} | {gz:,} | **{br:,}** ({br / 1024:.0f} KiB) |", br


main = pkg / f"{name}.wasm"
manifest = json.loads((pkg / "__wasm_split_manifest.json").read_text())
# Files of earlier builds may linger in pkg/; only the manifest says what this build made.
chunks = sorted({pkg / f"{c}.wasm" for needed in manifest.values() for c in needed})

print("| WebAssembly a browser downloads | raw bytes | gzip -9 | brotli 11 |")
print("|---|---|---|---|")
print(row("landing page (the main module only)", [main])[0])
pages = []
for key, needed in sorted(manifest.items()):
    # `__workbench_view_<hash>` is the lazy view of the Workbench page.
    page = re.sub(r"^__(.*)_view_\d+$", r"\1", key).replace("_", " ")
    text, br = row(f"{page} (main + {len(needed)} chunks)", [main] + [pkg / f"{c}.wasm" for c in needed])
    pages.append((br, text))
pages.sort()
for _, text in pages:
    print(text)
print(row(f"every page: main + all {len(chunks)} chunks of the manifest", [main] + chunks)[0])

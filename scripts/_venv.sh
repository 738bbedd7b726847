# Shared by scripts/demo, scripts/test and scripts/bench: make sure .venv exists and holds what is needed.
# Usage: ensure_venv [extra]   (extra: "test" for the test tools)
ensure_venv() {
    local extra="${1:-}"
    local python="${PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        echo "▶ creating the virtual environment (.venv)"
        "$python" -m venv .venv
    fi
    # Re-install only when pyproject.toml changed since the last install of this flavour.
    local stamp=".venv/.installed${extra:+-$extra}"
    local want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "▶ installing dependencies${extra:+ (with $extra tools)}"
        .venv/bin/python -m pip install --quiet --upgrade pip
        if [ -n "$extra" ]; then
            .venv/bin/python -m pip install --quiet -e ".[$extra]"
        else
            .venv/bin/python -m pip install --quiet -e .
        fi
        echo "$want" > "$stamp"
    fi
}

// Intentionally empty: keeps the static library non-empty while the folder fills.

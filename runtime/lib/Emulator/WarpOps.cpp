// Placeholder: written by the warp-ops work in progress.

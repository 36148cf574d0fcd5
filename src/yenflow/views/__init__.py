"""Views: library functions that read the store, call the pure analytics and
return DataFrames ready to print or serve. The CLI (and a dashboard) call these;
no analytics logic lives in the CLI."""

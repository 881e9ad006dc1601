"""The use cases every face (cli, scheduler, serve, demo) calls: fetching, understanding what is
pending, analysing files, the views, delivering alerts. They call the stages below them (ingest,
understand, store); nothing here imports a face, and JSON is written at the faces' edges."""

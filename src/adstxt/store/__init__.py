"""The crawl store: where crawls record what they fetched, and the shared work queue."""

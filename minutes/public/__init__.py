"""Every anonymous page: the front page, the region pages, the protocol list, pages, files,
search, feeds, sitemap and the JSON API. Reads in `selectors`, caching in `cache`."""

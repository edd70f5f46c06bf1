"""依申请公开办理台 (yishen): the core, free of Qt — domain, law, store, letters, reports, interchange, sync."""

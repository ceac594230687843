-- Request options the serving target had no equivalent for (the x-offramp-untranslated header's text).
-- Rows written before this step had every option translated, or were not asked about: ''.
ALTER TABLE gateway_requests ADD COLUMN untranslated TEXT NOT NULL DEFAULT '';

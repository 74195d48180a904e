-- The language an appeal's text is written in, identified at registration (issue 5, item 1):
-- kk, ru, en or other. Beside `language`, the language the applicant chose for the answer (kk,
-- ru or other; identified from the text when not chosen). NULL: an appeal registered before this
-- column, until the start-up backfill (appeals::backfill_text_language) identifies it. The same
-- column as in the other backend's 0010.
ALTER TABLE appeals ADD COLUMN text_language TEXT CHECK (text_language IN ('kk', 'ru', 'en', 'other'));

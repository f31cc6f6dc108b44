-- Subscriptions made without contacting a publisher (connect = false): the publications named
-- are the publisher's, which the test never reaches.
CREATE SUBSCRIPTION keep_me CONNECTION 'host=publisher.invalid dbname=app password=old-secret'
    PUBLICATION app_pub WITH (connect = false, slot_name = NONE);
CREATE SUBSCRIPTION old_sub CONNECTION 'host=publisher.invalid dbname=app'
    PUBLICATION app_pub WITH (connect = false, slot_name = 'old_slot', binary = true);
COMMENT ON SUBSCRIPTION old_sub IS 'going away';

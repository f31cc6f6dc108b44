CREATE TABLE public."UserProfiles" ("userId" text PRIMARY KEY, "firstSeenAt" integer, "group" text);
INSERT INTO public."UserProfiles" VALUES ('u1', 1736850000, 'a');

/* Tests of the diary digest (src/diary/digest.c): names interned once each, tags and
 * treatments of one name kept apart, names too long refused, the caps, reset keeping memory,
 * and full records digested field by field. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knead/digest.h"

static void test_names_are_interned_once(void **state)
{
    (void)state;
    kn_digest d;
    kn_digest_init(&d);
    /* Names given with a length need not end there: "temple_rX" cut to 8 is "temple_r". */
    assert_int_equal(kn_digest_add_pain(&d, 10, "temple_rX", 8, 4), KN_OK);
    assert_int_equal(kn_digest_add_pain(&d, 10, "vertex", 6, 2), KN_OK);
    assert_int_equal(kn_digest_add_pain(&d, 11, "temple_r", 8, 7), KN_OK);
    assert_int_equal(kn_digest_add_pain(&d, 11, "temple", 6, 1), KN_OK); /* a prefix: new */
    assert_int_equal(d.npains, 4);
    assert_int_equal(d.nregions, 3);
    assert_string_equal(d.regions[d.pains[0].region], "temple_r");
    assert_int_equal(d.pains[2].region, d.pains[0].region);
    assert_string_equal(d.regions[d.pains[3].region], "temple");
    assert_int_equal(d.pains[2].day, 11);
    assert_int_equal(d.pains[2].intensity, 7);
    /* A tag and a treatment of the same name are two words. */
    assert_int_equal(kn_digest_add_mark(&d, 10, KN_WORD_TAG, "heat", 4), KN_OK);
    assert_int_equal(kn_digest_add_mark(&d, 10, KN_WORD_TREATMENT, "heat", 4), KN_OK);
    assert_int_equal(kn_digest_add_mark(&d, 11, KN_WORD_TAG, "heat", 4), KN_OK);
    assert_int_equal(d.nwords, 2);
    assert_int_equal(d.marks[0].word, d.marks[2].word);
    assert_int_not_equal(d.marks[0].word, d.marks[1].word);
    assert_int_equal(d.words[d.marks[1].word].kind, KN_WORD_TREATMENT);
    /* Too long for its field: refused, nothing added. */
    char long_name[KN_WORD_MAX + 2];
    memset(long_name, 'a', sizeof long_name);
    assert_int_equal(kn_digest_add_pain(&d, 12, long_name, KN_REGION_MAX, 3), KN_EINVAL);
    assert_int_equal(kn_digest_add_mark(&d, 12, KN_WORD_TAG, long_name, KN_WORD_MAX + 1),
                     KN_EINVAL);
    assert_int_equal(kn_digest_add_mark(&d, 12, KN_WORD_TAG, long_name, KN_WORD_MAX), KN_OK);
    assert_int_equal(d.npains, 4);
    assert_int_equal(d.nmarks, 4);
    kn_digest_free(&d);
}

/* Hundreds of names (the hash grows several times) each found again, and the cap. */
static void test_many_names_and_the_cap(void **state)
{
    (void)state;
    kn_digest d;
    kn_digest_init(&d);
    char name[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 700; i++) {
            int len = snprintf(name, sizeof name, "word %d", i);
            assert_int_equal(kn_digest_add_mark(&d, i, KN_WORD_TAG, name, (size_t)len), KN_OK);
            assert_int_equal(d.marks[d.nmarks - 1].word, i);
        }
    assert_int_equal(d.nwords, 700);
    assert_int_equal(d.nmarks, 1400);
    for (unsigned i = 700; i < KN_DIGEST_NAMES_MAX; i++) {
        int len = snprintf(name, sizeof name, "word %u", i);
        assert_int_equal(kn_digest_add_mark(&d, 0, KN_WORD_TAG, name, (size_t)len), KN_OK);
    }
    assert_int_equal(d.nwords, KN_DIGEST_NAMES_MAX);
    /* A name more is over the cap; one already there is still found. */
    assert_int_equal(kn_digest_add_mark(&d, 0, KN_WORD_TAG, "one more", 8), KN_ETOOBIG);
    assert_int_equal(kn_digest_add_mark(&d, 0, KN_WORD_TAG, "word 5", 6), KN_OK);
    assert_int_equal(d.marks[d.nmarks - 1].word, 5);
    kn_digest_free(&d);
}

static void test_reset_empties_and_keeps_memory(void **state)
{
    (void)state;
    kn_digest d;
    kn_digest_init(&d);
    for (int i = 0; i < 100; i++)
        assert_int_equal(kn_digest_add_pain(&d, i, i % 2 ? "calf_l" : "calf_r", 6, i % 11), KN_OK);
    kn_digest_session s = {{86400, 60}, 1, 5, KN_NONE};
    assert_int_equal(kn_digest_add_session(&d, &s), KN_OK);
    kn_digest_pain *kept = d.pains;
    kn_digest_reset(&d);
    assert_int_equal(d.npains, 0);
    assert_int_equal(d.nregions, 0);
    assert_int_equal(d.nsessions, 0);
    assert_ptr_equal(d.pains, kept);
    /* After a reset the names start again from index 0. */
    assert_int_equal(kn_digest_add_pain(&d, 1, "calf_l", 6, 3), KN_OK);
    assert_int_equal(d.pains[0].region, 0);
    assert_int_equal(d.nregions, 1);
    kn_digest_free(&d);
    assert_null(d.pains);
}

static void test_records_are_digested(void **state)
{
    (void)state;
    kn_err err = {0};
    kn_pain p;
    kn_pain_init(&p);
    p.day = 20000;
    snprintf(p.region, sizeof p.region, "neck_side_r");
    p.intensity = 6;
    kn_checkin c;
    kn_checkin_init(&c);
    c.day = 20001;
    c.stress = 7;
    c.sleep_hours = 6.5;
    c.routine = KN_ROUTINE_DISRUPTED;
    c.peg[0] = 5, c.peg[1] = 4, c.peg[2] = 3;
    assert_int_equal(kn_checkin_add_tag(&c, "long drive", &err), KN_OK);
    kn_treatment t = {"ibuprofen", "400 mg"};
    assert_int_equal(kn_checkin_add_treatment(&c, &t, &err), KN_OK);
    kn_session s;
    kn_session_init(&s);
    s.at = (kn_instant){20002LL * 86400 + 3600, -120};
    s.day = kn_instant_day(s.at);
    s.pre_pain = 6;
    s.post_pain = 2;
    kn_digest d;
    kn_digest_init(&d);
    assert_int_equal(kn_digest_add_records(&d, &p, 1, &c, 1, &s, 1), KN_OK);
    assert_int_equal(d.npains, 1);
    assert_string_equal(d.regions[d.pains[0].region], "neck_side_r");
    assert_int_equal(d.pains[0].intensity, 6);
    assert_int_equal(d.ncheckins, 1);
    const kn_digest_checkin *dc = &d.checkins[0];
    assert_int_equal(dc->day, 20001);
    assert_int_equal(dc->stress, 7);
    assert_true(dc->sleep_hours == 6.5);
    assert_int_equal(dc->sleep_quality, KN_NONE);
    assert_int_equal(dc->routine, KN_ROUTINE_DISRUPTED);
    assert_int_equal(dc->pain_free, KN_NONE);
    assert_int_equal(dc->peg[2], 3);
    assert_int_equal(d.nmarks, 2);
    assert_string_equal(d.words[d.marks[0].word].name, "long drive");
    assert_int_equal(d.words[d.marks[0].word].kind, KN_WORD_TAG);
    assert_string_equal(d.words[d.marks[1].word].name, "ibuprofen"); /* without the dose */
    assert_int_equal(d.words[d.marks[1].word].kind, KN_WORD_TREATMENT);
    assert_int_equal(d.marks[1].day, 20001);
    assert_int_equal(d.nsessions, 1);
    assert_int_equal(d.sessions[0].day, s.day);
    assert_int_equal(d.sessions[0].at.offset_min, -120);
    assert_int_equal(d.sessions[0].pre_pain, 6);
    assert_int_equal(d.sessions[0].post_pain, 2);
    kn_digest_free(&d);
    kn_checkin_clear(&c);
    kn_session_clear(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_interned_once),
        cmocka_unit_test(test_many_names_and_the_cap),
        cmocka_unit_test(test_reset_empties_and_keeps_memory),
        cmocka_unit_test(test_records_are_digested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The clinical tables compiled into the atlas: every muscle of the seed and of its "not yet
 * covered" list, every zone and trigger-point site a valid region, every row sourced, the
 * eight condition guides, the red-flag questions, the sided-region numbering. */
#include "harness.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "atlas/load.h"
#include "knead/atlas.h"

static void print_problem(void *ctx, const char *problem)
{
    (void)ctx;
    print_error("table problem: %s\n", problem);
}

static void test_tables_have_no_problems(void **state)
{
    (void)state;
    assert_int_equal(kn_atlas_check(print_problem, NULL), 0);
}

/* The 57 muscles of trigger-points.md, with its ids. */
static const char *const seed_muscles[] = {"upper_trapezius",
                                           "levator_scapulae",
                                           "sternocleidomastoid",
                                           "splenius_capitis",
                                           "splenius_cervicis",
                                           "suboccipitals",
                                           "semispinalis_capitis",
                                           "temporalis",
                                           "masseter",
                                           "lateral_pterygoid",
                                           "medial_pterygoid",
                                           "digastric",
                                           "scalenes",
                                           "supraspinatus",
                                           "infraspinatus",
                                           "teres_minor",
                                           "subscapularis",
                                           "rhomboids",
                                           "pectoralis_major",
                                           "pectoralis_minor",
                                           "serratus_posterior_superior",
                                           "latissimus_dorsi",
                                           "wrist_extensors",
                                           "finger_extensors",
                                           "brachioradialis",
                                           "supinator",
                                           "pronator_teres",
                                           "flexor_carpi_radialis",
                                           "flexor_carpi_ulnaris",
                                           "adductor_pollicis",
                                           "opponens_pollicis",
                                           "brachialis",
                                           "quadratus_lumborum",
                                           "iliocostalis",
                                           "longissimus_thoracis",
                                           "multifidus",
                                           "iliopsoas",
                                           "pelvic_floor",
                                           "gluteus_maximus",
                                           "gluteus_medius",
                                           "gluteus_minimus",
                                           "piriformis",
                                           "tensor_fasciae_latae",
                                           "vastus_lateralis",
                                           "vastus_medialis",
                                           "rectus_femoris",
                                           "biceps_femoris",
                                           "medial_hamstrings",
                                           "gastrocnemius",
                                           "soleus",
                                           "tibialis_anterior",
                                           "tibialis_posterior",
                                           "peroneus_longus",
                                           "abductor_hallucis",
                                           "flexor_digitorum_brevis",
                                           "quadratus_plantae",
                                           "abductor_digiti_minimi_foot"};

/* Its list of muscles not yet covered, as knead names them. */
static const char *const added_muscles[] = {"deltoid",
                                            "biceps_brachii",
                                            "triceps_brachii",
                                            "coracobrachialis",
                                            "serratus_anterior",
                                            "serratus_posterior_inferior",
                                            "rectus_abdominis",
                                            "abdominal_obliques",
                                            "adductor_longus_brevis",
                                            "adductor_magnus",
                                            "sartorius",
                                            "gracilis",
                                            "pectineus",
                                            "popliteus",
                                            "flexor_digitorum_longus",
                                            "flexor_hallucis_longus",
                                            "extensor_digitorum_longus",
                                            "extensor_hallucis_longus",
                                            "flexor_hallucis_brevis",
                                            "cervical_multifidi",
                                            "occipitofrontalis",
                                            "orbicularis_oculi",
                                            "zygomaticus_major"};

static void test_muscles_cover_seed_and_next_batch(void **state)
{
    (void)state;
    assert_true(kn_muscle_count() >= 70);
    assert_int_equal(sizeof seed_muscles / sizeof seed_muscles[0], 57);
    for (size_t i = 0; i < sizeof seed_muscles / sizeof seed_muscles[0]; i++) {
        const kn_muscle *m = kn_muscle_find(seed_muscles[i]);
        if (!m)
            print_error("seed muscle %s missing\n", seed_muscles[i]);
        assert_non_null(m);
        assert_true(m->seed);
    }
    for (size_t i = 0; i < sizeof added_muscles / sizeof added_muscles[0]; i++) {
        const kn_muscle *m = kn_muscle_find(added_muscles[i]);
        if (!m)
            print_error("added muscle %s missing\n", added_muscles[i]);
        assert_non_null(m);
        assert_false(m->seed);
    }
    assert_null(kn_muscle_find("no_such_muscle"));
}

/* Whether text cites key as a word of its own. */
static bool cites(const char *text, const char *key)
{
    size_t len = strlen(key);
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key))
        if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[len]) &&
            p[len] != '-')
            return true;
    return false;
}

static void assert_sourced(const char *what, const char *source)
{
    bool ok = false;
    for (size_t i = 0; i < kn_source_count() && !ok; i++)
        ok = cites(source, kn_source_at(i)->key);
    if (!ok)
        print_error("%s: source '%s' cites no known source\n", what, source);
    assert_true(ok);
}

static void test_every_zone_and_site_is_a_region(void **state)
{
    (void)state;
    for (size_t i = 0; i < kn_muscle_count(); i++) {
        const kn_muscle *m = kn_muscle_at(i);
        assert_true(m->nsites >= 1);
        for (size_t s = 0; s < m->nsites; s++) {
            assert_non_null(m->sites[s]);
            assert_ptr_equal(kn_region_find(m->sites[s]->id), m->sites[s]);
        }
        bool primary = false;
        assert_true(m->nzones >= 1);
        for (size_t z = 0; z < m->nzones; z++) {
            const kn_zone *zn = &m->zones[z];
            assert_non_null(zn->region);
            assert_ptr_equal(kn_region_find(zn->region->id), zn->region);
            assert_non_null(strchr("ABC", zn->tier));
            if (zn->both_sides)
                assert_true(zn->region->paired);
            primary |= zn->kind == KN_ZONE_PRIMARY;
            for (size_t y = 0; y < z; y++)
                assert_ptr_not_equal(m->zones[y].region, zn->region);
        }
        if (!primary)
            print_error("%s has no primary zone\n", m->id);
        assert_true(primary);
    }
}

static void test_every_row_is_sourced(void **state)
{
    (void)state;
    char what[128];
    for (size_t i = 0; i < kn_region_count(); i++)
        assert_sourced(kn_region_at(i)->id, kn_region_at(i)->source);
    for (size_t i = 0; i < kn_muscle_count(); i++) {
        const kn_muscle *m = kn_muscle_at(i);
        assert_sourced(m->id, m->source);
        for (size_t z = 0; z < m->nzones; z++) {
            snprintf(what, sizeof what, "%s zone %s", m->id, m->zones[z].region->id);
            assert_sourced(what, m->zones[z].source);
        }
    }
    for (size_t i = 0; i < kn_condition_count(); i++) {
        const kn_condition *c = kn_condition_at(i);
        assert_sourced(c->id, c->source);
        assert_sourced(c->id, c->self_care_source);
        for (size_t k = 0; k < c->nmuscles; k++)
            assert_sourced(c->id, c->muscles[k].source);
        for (size_t k = 0; k < c->ncodes; k++)
            assert_sourced(c->codes[k].code, c->codes[k].source);
    }
    for (size_t i = 0; i < kn_question_count(); i++)
        assert_sourced(kn_question_at(i)->id, kn_question_at(i)->source);
    for (size_t i = 0; i < kn_source_count(); i++)
        assert_true(strlen(kn_source_at(i)->citation) > 10);
}

/* Both-sides referral only where the maps say so: the clavicular head of the SCM to the
 * forehead (trigger-points.md), and the rectus abdominis band across the back (TS1). */
static void test_both_sides_only_where_charted(void **state)
{
    (void)state;
    const kn_muscle *scm = kn_muscle_find("sternocleidomastoid");
    bool forehead_both = false;
    for (size_t z = 0; z < scm->nzones; z++)
        if (strcmp(scm->zones[z].region->id, "forehead") == 0)
            forehead_both = scm->zones[z].both_sides;
    assert_true(forehead_both);
    for (size_t i = 0; i < kn_muscle_count(); i++) {
        const kn_muscle *m = kn_muscle_at(i);
        for (size_t z = 0; z < m->nzones; z++)
            if (m->zones[z].both_sides)
                assert_true(m == scm || strcmp(m->id, "rectus_abdominis") == 0);
    }
}

static void test_sided_regions(void **state)
{
    (void)state;
    size_t paired = 0, midline = 0;
    for (size_t i = 0; i < kn_region_count(); i++)
        *(kn_region_at(i)->paired ? &paired : &midline) += 1;
    assert_int_equal(midline, 4);
    assert_int_equal(kn_sided_count(), 2 * paired + midline);
    assert_true(kn_sided_count() <= KN_SIDED_MAX);
    for (size_t i = 0; i < kn_sided_count(); i++) {
        int idx = (int)i;
        assert_int_equal(kn_sided_find(kn_sided_id(idx)), idx);
        assert_int_equal(kn_sided_of(kn_sided_region(idx), kn_sided_side(idx)), idx);
    }
    assert_int_equal(kn_sided_side(kn_sided_find("temple_l")), 'l');
    assert_int_equal(kn_sided_side(kn_sided_find("temple_r")), 'r');
    assert_int_equal(kn_sided_side(kn_sided_find("vertex")), 0);
    assert_int_equal(kn_sided_find("temple"), -1);
    assert_int_equal(kn_sided_find("vertex_l"), -1);
    assert_int_equal(kn_sided_find("nowhere_r"), -1);
    kn_err err = {0};
    int idx;
    assert_int_equal(kn_sided_parse("temple", "--region", &idx, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "temple_l"));

    kn_regionset s = {{0, 0}};
    assert_true(kn_regionset_empty(&s));
    kn_regionset_add(&s, 3);
    kn_regionset_add(&s, 64);
    kn_regionset_add(&s, 100);
    assert_int_equal(kn_regionset_count(&s), 3);
    assert_int_equal(kn_regionset_next(&s, 0), 3);
    assert_int_equal(kn_regionset_next(&s, 4), 64);
    assert_int_equal(kn_regionset_next(&s, 65), 100);
    assert_int_equal(kn_regionset_next(&s, 101), -1);
}

/* The guides of conditions.md, with their assess-first lists in its order. */
static void assert_first(const char *condition, const char *const *ids, size_t n)
{
    const kn_condition *c = kn_condition_find(condition);
    assert_non_null(c);
    assert_true(c->nmuscles >= n);
    for (size_t i = 0; i < n; i++) {
        assert_true(c->muscles[i].first);
        assert_string_equal(c->muscles[i].muscle->id, ids[i]);
    }
    assert_true(c->nmuscles == n || !c->muscles[n].first);
}

static void test_condition_guides(void **state)
{
    (void)state;
    static const char *const ids[] = {"tmjd",       "headache", "carpal_tunnel",
                                      "stiff_neck", "sciatica", "plantar_fasciitis",
                                      "it_band",    "si_joint"};
    assert_int_equal(kn_condition_count(), 8);
    for (size_t i = 0; i < 8; i++) {
        const kn_condition *c = kn_condition_find(ids[i]);
        assert_non_null(c);
        assert_true(c->ncore >= 1);
        assert_true(strlen(c->presentation) > 20);
        assert_true(strlen(c->self_care) > 20);
        /* Each guide has red flags to ask. */
        size_t flags = 0;
        for (size_t q = 0; q < kn_question_count(); q++)
            flags += kn_question_in(kn_question_at(q), c->id);
        assert_true(flags >= 2);
    }
    static const char *const tmjd[] = {"masseter", "temporalis", "lateral_pterygoid",
                                       "medial_pterygoid"};
    assert_first("tmjd", tmjd, 4);
    static const char *const neck[] = {"levator_scapulae", "upper_trapezius", "splenius_cervicis"};
    assert_first("stiff_neck", neck, 3);
    static const char *const heel[] = {"soleus", "quadratus_plantae", "abductor_hallucis",
                                       "gastrocnemius", "tibialis_posterior"};
    assert_first("plantar_fasciitis", heel, 5);
    static const char *const itb[] = {"vastus_lateralis", "tensor_fasciae_latae",
                                      "gluteus_minimus"};
    assert_first("it_band", itb, 3);
}

static void test_condition_codes(void **state)
{
    (void)state;
    const kn_condition *heel = kn_condition_find("plantar_fasciitis");
    bool snomed = false;
    for (size_t k = 0; k < heel->ncodes; k++)
        if (strcmp(heel->codes[k].code, "202882003") == 0)
            snomed = heel->codes[k].confirmed && strcmp(heel->codes[k].system, "snomed") == 0;
    assert_true(snomed);
    /* Carpal tunnel codes are all unconfirmed in the reference: none may be shown. */
    const kn_condition *cts = kn_condition_find("carpal_tunnel");
    assert_true(cts->ncodes >= 1);
    for (size_t k = 0; k < cts->ncodes; k++)
        assert_false(cts->codes[k].confirmed);
    const kn_condition *sci = kn_condition_find("sciatica");
    bool sciatica = false;
    for (size_t k = 0; k < sci->ncodes; k++)
        sciatica |= strcmp(sci->codes[k].code, "23056005") == 0 && sci->codes[k].confirmed;
    assert_true(sciatica);
}

static void test_questions(void **state)
{
    (void)state;
    size_t per_outcome[4] = {0};
    assert_true(kn_question_count() >= 30);
    for (size_t i = 0; i < kn_question_count(); i++) {
        const kn_question *q = kn_question_at(i);
        assert_true(strlen(q->id) < KN_QUESTION_ID_MAX);
        assert_int_equal(q->text[strlen(q->text) - 1], '?');
        assert_true(strlen(q->advice) > 10);
        assert_true(q->max_pressure >= 0 && q->max_pressure <= 10);
        per_outcome[q->outcome]++;
        if (q->outcome == KN_OUTCOME_AVOID)
            assert_true(q->navoid > 0 || q->asks_where);
        for (size_t k = 0; k < q->navoid; k++)
            assert_non_null(q->avoid[k]);
        assert_ptr_equal(kn_question_find(q->id), q);
    }
    for (int o = 0; o < 4; o++)
        assert_true(per_outcome[o] >= 2);
    /* The emergencies the guides mark as such. */
    static const char *const emergencies[] = {"thunderclap", "cauda_equina", "meningism",
                                              "artery_tear", "jaw_claudication"};
    for (size_t i = 0; i < sizeof emergencies / sizeof emergencies[0]; i++)
        assert_int_equal(kn_question_find(emergencies[i])->outcome, KN_OUTCOME_EMERGENCY);
    assert_true(kn_question_in(kn_question_find("cauda_equina"), "sciatica"));
    assert_true(kn_question_in(kn_question_find("cauda_equina"), "si_joint"));
    assert_false(kn_question_in(kn_question_find("cauda_equina"), "tmjd"));
    assert_string_equal(kn_outcome_name(KN_OUTCOME_AVOID), "avoid");
    assert_string_equal(kn_verdict_name(KN_VERDICT_REFER), "refer");
    kn_verdict v;
    assert_int_equal(kn_verdict_parse("emergency", &v), KN_OK);
    assert_int_equal(v, KN_VERDICT_EMERGENCY);
    assert_int_equal(kn_verdict_parse("fine", &v), KN_EINVAL);
}

/* The checker itself: a bad region or an unsourced row is reported, not ignored. (Runs
 * last: it adds problems to the shared list.) */
static void test_checker_reports_bad_rows(void **state)
{
    (void)state;
    size_t before = kn_atlas_check(NULL, NULL);
    const kn_region *out[4];
    assert_int_equal(kn_atlas_region_list("x.tsv", 1, "zones", "temple;nowhere", out, 4), 1);
    kn_atlas_check_source("x.tsv", 2, "my uncle said so");
    kn_atlas_check_source("x.tsv", 3, "");
    kn_atlas_check_source("x.tsv", 4, "TS1 deltoid");
    assert_false(kn_atlas_valid_id("Bad Id"));
    assert_true(kn_atlas_valid_id("upper_trapezius"));
    assert_int_equal(kn_atlas_check(NULL, NULL), before + 3);
}

/* Every id that can reach a person has a readable name; an unknown id reads as words. */
static void test_readable_names(void **state)
{
    (void)state;
    char b[KN_LABEL_MAX];
    assert_string_equal(kn_name_region("temple_r", b, sizeof b), "Temple, side of head (right)");
    assert_string_equal(kn_name_region("neck_back_l", b, sizeof b), "Back of neck (left)");
    assert_string_equal(kn_name_region("vertex", b, sizeof b), "Top of head");
    assert_string_equal(kn_name_region("temple", b, sizeof b), "Temple, side of head");
    assert_string_equal(kn_name_region("old_region_x", b, sizeof b), "old region x");
    kn_regionset set = {{0}};
    kn_regionset_add(&set, kn_sided_find("jaw_r"));
    kn_regionset_add(&set, kn_sided_find("temple_r"));
    assert_string_equal(kn_name_regions(&set, b, sizeof b),
                        "Temple, side of head (right); Lower jaw (right)");
    assert_string_equal(kn_name_muscle("upper_trapezius", b, sizeof b), "Upper trapezius");
    assert_string_equal(kn_name_condition("tmjd", b, sizeof b), "TMJ disorder");
    assert_string_equal(kn_name_question("thunderclap", b, sizeof b),
                        "sudden thunderclap headache");
    assert_string_equal(kn_name_term("no_important_change", b, sizeof b), "no important change");
    assert_string_equal(kn_name_term("some_new_status", b, sizeof b), "some new status");
    assert_string_equal(kn_name_specialty("tmjd", b, sizeof b), "TMJ disorder");
    assert_string_equal(kn_name_specialty("CTS", b, sizeof b), "Carpal tunnel syndrome");
    assert_string_equal(kn_name_specialty("Upper_Trapezius", b, sizeof b), "Upper trapezius");
    assert_string_equal(kn_name_specialty("trigger point", b, sizeof b), "trigger point");
    assert_non_null(strstr(kn_name_source("TS1"), "Trigger Point Manual"));
    assert_null(kn_name_source("NO-SUCH-KEY"));
    /* every region, muscle, condition and question: a name with no underscore */
    for (int i = 0; i < (int)kn_sided_count(); i++)
        assert_null(strchr(kn_name_sided(i, b, sizeof b), '_'));
    for (size_t i = 0; i < kn_muscle_count(); i++)
        assert_null(strchr(kn_name_muscle(kn_muscle_at(i)->id, b, sizeof b), '_'));
    for (size_t i = 0; i < kn_condition_count(); i++)
        assert_null(strchr(kn_name_condition(kn_condition_at(i)->id, b, sizeof b), '_'));
    for (size_t i = 0; i < kn_question_count(); i++) {
        const char *t = kn_name_question(kn_question_at(i)->id, b, sizeof b);
        assert_true(*t && !strchr(t, '_'));
    }
}

/* A source cell becomes its marks, free text its keys as marks; the list keeps each once. */
static void test_citations(void **state)
{
    (void)state;
    kn_citations c = {0};
    char b[1024];
    assert_string_equal(
        kn_cite(&c, "CONTRA (massage-practice.md 3.3); cap: KNEAD (PRESSURE)", b, sizeof b),
        "massage contraindication lists; knead default, for clinical review; "
        "spoken pressure scale");
    assert_int_equal(c.n, 3);
    assert_string_equal(
        kn_cite(&c, "SNNOOP10 (conditions.md guide 2); CONTRA; SNNOOP10", b, sizeof b),
        "Do 2019; massage contraindication lists");
    assert_int_equal(c.n, 4); /* CONTRA again: listed once */
    assert_string_equal(kn_cite(&c, "BNF_ANALGESICS", b, sizeof b),
                        "British National Formulary, analgesics"); /* not BNF */
    assert_string_equal(kn_cite(NULL, "no key here", b, sizeof b), "");
    assert_string_equal(kn_cite_text(&c, "the temporalis (DV; Q09)", b, sizeof b),
                        "the temporalis (Davies 2013; Qerama 2009)");
    assert_int_equal(c.n, 7);
    assert_true(c.cited[0] == kn_source_find("CONTRA") && c.cited[6] == kn_source_find("Q09"));
    assert_string_equal(kn_citation_line(kn_source_find("DCTMD"), b, sizeof b),
                        "Schiffman 2014: Schiffman E, Ohrbach R, Truelove E, et al. Diagnostic "
                        "Criteria for Temporomandibular Disorders (DC/TMD) for Clinical and "
                        "Research Applications. J Oral Facial Pain Headache 2014;28(1):6-27. "
                        "https://doi.org/10.11607/jop.1151");
    /* what people read of a source names no file, section or id of ours */
    for (size_t i = 0; i < kn_source_count(); i++) {
        const kn_source *s = kn_source_at(i);
        assert_true(*s->mark && *s->citation && *s->provenance);
        assert_null(strstr(s->citation, ".md"));
        assert_null(strstr(s->mark, ".md"));
        assert_null(strstr(s->citation, "docs/"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_have_no_problems),
        cmocka_unit_test(test_muscles_cover_seed_and_next_batch),
        cmocka_unit_test(test_every_zone_and_site_is_a_region),
        cmocka_unit_test(test_every_row_is_sourced),
        cmocka_unit_test(test_both_sides_only_where_charted),
        cmocka_unit_test(test_sided_regions),
        cmocka_unit_test(test_condition_guides),
        cmocka_unit_test(test_condition_codes),
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_readable_names),
        cmocka_unit_test(test_citations),
        cmocka_unit_test(test_checker_reports_bad_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

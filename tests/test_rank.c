/* The referral ranking: the typical pain map of each condition guide ranks its assess-first
 * muscles high (one- and two-sided maps), sides are respected, a heel map names no head,
 * neck or arm muscle, big patterns do not win by size, intensity counts, midline and
 * both-sides zones work, local pain counts, and the cover explains the whole map. kn_rank's
 * fast path gives exactly the results of the step-by-step reference ranking, and its scores
 * and order agree with kn_rank_score over every muscle side, on thousands of seeded maps. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas/load.h"
#include "knead/atlas.h"

/* Builds a map from a NULL-terminated list of "region[:intensity]". */
static kn_painmap map_of(const char *const *marks)
{
    kn_painmap m;
    kn_painmap_init(&m);
    kn_err err = {0};
    for (size_t i = 0; marks[i]; i++) {
        kn_rc rc = kn_painmap_parse(&m, marks[i], "region", &err);
        if (rc != KN_OK)
            print_error("%s\n", err.msg);
        assert_int_equal(rc, KN_OK);
    }
    return m;
}

static kn_ranking rank_of(const kn_painmap *m, size_t top)
{
    kn_ranking r;
    kn_err err = {0};
    assert_int_equal(kn_rank(m, top, &r, &err), KN_OK);
    return r;
}

static bool is_first(const kn_condition *c, const kn_muscle *m)
{
    for (size_t k = 0; k < c->nmuscles; k++)
        if (c->muscles[k].first && c->muscles[k].muscle == m)
            return true;
    return false;
}

typedef struct condition_case {
    const char *condition;
    char side; /* 'l' or 'r' for a one-sided map, 'b' for a two-sided one */
    const char *marks[8];
} condition_case;

/* Typical pain maps of the eight guides (conditions.md), one- and two-sided. */
static const condition_case cases[] = {
    {"tmjd", 'r', {"jaw_r", "tmj_ear_r", "cheek_r", NULL}},
    {"tmjd", 'l', {"tmj_ear_l:7", "jaw_l:5", NULL}},
    {"tmjd", 'b', {"tmj_ear_l", "tmj_ear_r", "jaw_l", "jaw_r", "cheek_l", "cheek_r", NULL}},
    {"headache", 'r', {"temple_r", "occiput_r", "neck_back_r", NULL}},
    {"headache",
     'b',
     {"temple_l", "temple_r", "forehead_l", "forehead_r", "occiput_l", "occiput_r", NULL}},
    {"headache", 'l', {"temple_l:8", "eye_l:6", NULL}},
    {"carpal_tunnel", 'r', {"hand_palm_r", "thumb_r", "fingers_r", NULL}},
    {"carpal_tunnel", 'l', {"hand_palm_l:6", "thumb_l:4", "forearm_front_l:3", NULL}},
    {"carpal_tunnel", 'b', {"hand_palm_l", "hand_palm_r", "thumb_l", "thumb_r", NULL}},
    {"stiff_neck", 'r', {"neck_back_r", "shoulder_top_r", "neck_side_r", NULL}},
    {"stiff_neck", 'l', {"neck_back_l:6", "shoulder_top_l:7", "interscapular_l:3", NULL}},
    {"sciatica", 'r', {"buttock_r", "thigh_back_r", "calf_r", NULL}},
    {"sciatica", 'l', {"buttock_l:7", "hip_outer_l:5", "thigh_outer_l:4", "leg_outer_l:3", NULL}},
    {"plantar_fasciitis", 'l', {"heel_sole_l", NULL}},
    {"plantar_fasciitis", 'r', {"heel_sole_r:7", "sole_r:4", "ankle_inner_r:3", NULL}},
    {"plantar_fasciitis", 'b', {"heel_sole_l", "heel_sole_r", NULL}},
    {"it_band", 'r', {"knee_outer_r", "thigh_outer_r", NULL}},
    {"it_band", 'l', {"thigh_outer_l", "hip_outer_l", "knee_outer_l", NULL}},
    {"si_joint", 'l', {"sacroiliac_l", NULL}},
    {"si_joint", 'r', {"sacroiliac_r:6", "buttock_r:4", "lowback_r:3", NULL}},
    {"si_joint", 'b', {"sacroiliac_l", "sacroiliac_r", "lowback_l", "lowback_r", NULL}},
};

/* For each case: an assess-first muscle of its guide among the first 3 candidates, at least
 * two different assess-first muscles among the first 6, one-sided maps ranked on their own
 * side, and the guide itself the best match for the map. */
static void test_condition_maps_rank_their_muscles(void **state)
{
    (void)state;
    assert_true(sizeof cases / sizeof cases[0] >= 16);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const condition_case *cs = &cases[i];
        const kn_condition *c = kn_condition_find(cs->condition);
        assert_non_null(c);
        kn_painmap m = map_of(cs->marks);
        kn_ranking r = rank_of(&m, 6);
        assert_true(r.ntop >= 2);
        size_t best = 99;
        const kn_muscle *seen[6];
        size_t nseen = 0;
        for (size_t k = 0; k < r.ntop; k++) {
            const kn_muscle *mu = r.top[k].muscle;
            if (!is_first(c, mu))
                continue;
            if (best == 99)
                best = k;
            bool dup = false;
            for (size_t j = 0; j < nseen; j++)
                dup |= seen[j] == mu;
            if (!dup)
                seen[nseen++] = mu;
        }
        if (best >= 3 || nseen < 2) {
            print_error("case %zu (%s): first assess-first muscle at %zu, %zu distinct\n", i,
                        cs->condition, best + 1, nseen);
            for (size_t k = 0; k < r.ntop; k++)
                print_error("  %s %c %.3f\n", r.top[k].muscle->id, r.top[k].side, r.top[k].score);
        }
        assert_true(best < 3);
        assert_true(nseen >= 2);
        if (cs->side != 'b')
            for (size_t k = 0; k < r.ntop; k++)
                assert_true(r.top[k].side == cs->side || r.top[k].side == 'b');
        kn_condition_match matches[16];
        size_t n;
        kn_err err = {0};
        assert_int_equal(kn_condition_match_map(&m, matches, 16, &n, &err), KN_OK);
        assert_int_equal(n, 8);
        if (matches[0].condition != c)
            print_error("case %zu (%s): best match %s\n", i, cs->condition,
                        matches[0].condition->id);
        assert_ptr_equal(matches[0].condition, c);
        assert_true(matches[0].resembles);
        assert_true(matches[0].nmuscles >= 1);
    }
}

static const char *const head_neck_arm[] = {"head_neck", "shoulder_back", "chest", "arm_hand"};

static bool upper_body(const kn_muscle *m)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(m->area, head_neck_arm[i]) == 0)
            return true;
    return false;
}

/* A heel-only map, and any single mark on the foot, names no head, neck or arm muscle in
 * its top 5. */
static void test_heel_map_names_no_upper_body_muscle(void **state)
{
    (void)state;
    static const char *const foot[] = {"heel_sole_r",   "heel_sole_l",   "sole_r",    "achilles_l",
                                       "ankle_inner_r", "ankle_outer_l", "foot_top_r"};
    for (size_t i = 0; i < sizeof foot / sizeof foot[0]; i++) {
        const char *marks[] = {foot[i], NULL};
        kn_painmap m = map_of(marks);
        kn_ranking r = rank_of(&m, 5);
        assert_true(r.ntop >= 1);
        for (size_t k = 0; k < r.ntop; k++)
            assert_false(upper_body(r.top[k].muscle));
    }
    const char *both[] = {"heel_sole_l", "heel_sole_r", NULL};
    kn_painmap m = map_of(both);
    kn_ranking r = rank_of(&m, 5);
    for (size_t k = 0; k < r.ntop; k++)
        assert_false(upper_body(r.top[k].muscle));
}

/* Whether candidate c explains mark i only through a midline or both-sides zone. */
static bool crosses(const kn_candidate *c, int i)
{
    const kn_region *r = kn_sided_region(i);
    if (!r->paired)
        return true;
    for (size_t z = 0; z < c->muscle->nzones; z++)
        if (c->muscle->zones[z].region == r && c->muscle->zones[z].both_sides)
            return true;
    return false;
}

/* A right-sided map never ranks a left-sided muscle first; a left-sided candidate appears
 * only through zones that cross (midline or both sides). Every single right-sided mark,
 * and random right-sided maps, are checked; so are their mirror images. */
static void test_sides_are_respected(void **state)
{
    (void)state;
    srand(7);
    size_t ns = kn_sided_count();
    for (size_t trial = 0; trial < 400 + ns; trial++) {
        kn_painmap m;
        kn_painmap_init(&m);
        kn_painmap mirror;
        kn_painmap_init(&mirror);
        kn_err err = {0};
        size_t marks = trial < ns ? 1 : 1 + (size_t)rand() % 5;
        for (size_t k = 0; k < marks; k++) {
            int i = trial < ns ? (int)trial : rand() % (int)ns;
            if (kn_sided_side(i) == 'l')
                i++; /* the right side of the same region */
            double intensity = 1 + rand() % 10;
            assert_int_equal(kn_painmap_add(&m, kn_sided_id(i), intensity, "r", &err), KN_OK);
            int j = kn_sided_side(i) == 'r' ? i - 1 : i;
            assert_int_equal(kn_painmap_add(&mirror, kn_sided_id(j), intensity, "r", &err), KN_OK);
        }
        kn_ranking r = rank_of(&m, 10), rm = rank_of(&mirror, 10);
        assert_int_not_equal(r.top[0].side, 'l');
        for (size_t k = 0; k < r.ntop; k++) {
            if (r.top[k].side != 'l')
                continue;
            kn_regionset e = r.top[k].primary;
            for (int w = 0; w < 2; w++)
                e.bits[w] |= r.top[k].secondary.bits[w] | r.top[k].local.bits[w];
            for (int i = kn_regionset_next(&e, 0); i >= 0; i = kn_regionset_next(&e, i + 1))
                assert_true(crosses(&r.top[k], i));
        }
        /* The mirror image ranks the same muscles with the sides swapped. */
        assert_int_equal(r.ntop, rm.ntop);
        for (size_t k = 0; k < r.ntop; k++) {
            assert_ptr_equal(r.top[k].muscle, rm.top[k].muscle);
            char want = r.top[k].side == 'r' ? 'l' : r.top[k].side == 'l' ? 'r' : 'b';
            assert_int_equal(rm.top[k].side, want);
            assert_float_equal(r.top[k].score, rm.top[k].score, 1e-6);
        }
    }
}

/* Big patterns (scalenes, gluteus minimus) match almost anything; they must not win a small
 * map merely by being big. */
static void test_big_patterns_do_not_win_by_size(void **state)
{
    (void)state;
    const char *thumb[] = {"thumb_r", NULL};
    kn_painmap m = map_of(thumb);
    kn_ranking r = rank_of(&m, 3);
    for (size_t k = 0; k < r.ntop; k++)
        assert_string_not_equal(r.top[k].muscle->id, "scalenes");
    const char *buttock[] = {"buttock_l", NULL};
    m = map_of(buttock);
    r = rank_of(&m, 3);
    assert_string_not_equal(r.top[0].muscle->id, "gluteus_minimus");
    /* ... but where the whole wide pattern hurts, the wide muscle fits best. */
    const char *pseudo[] = {
        "buttock_r",   "hip_outer_r", "thigh_outer_r", "thigh_back_r", "knee_outer_r",
        "leg_outer_r", NULL};
    m = map_of(pseudo);
    r = rank_of(&m, 3);
    assert_string_equal(r.top[0].muscle->id, "gluteus_minimus");
}

/* Where muscle m (either side) stands in the ranking of map, 0 = first; 99 = absent. */
static size_t position(const kn_painmap *map, const kn_muscle *m)
{
    kn_ranking r = rank_of(map, KN_RANK_TOP_MAX);
    for (size_t k = 0; k < r.ntop; k++)
        if (r.top[k].muscle == m)
            return k;
    return 99;
}

/* Primary zones weigh more than secondary ones, and intensity counts. */
static void test_primary_and_intensity_count(void **state)
{
    (void)state;
    const char *jaw_strong[] = {"jaw_r:9", "temple_r:2", NULL};
    const char *temple_strong[] = {"jaw_r:2", "temple_r:9", NULL};
    kn_painmap a = map_of(jaw_strong), b = map_of(temple_strong);
    const kn_muscle *masseter = kn_muscle_find("masseter");
    const kn_muscle *temporalis = kn_muscle_find("temporalis");
    assert_true(kn_rank_score(&a, masseter, 'r') > kn_rank_score(&b, masseter, 'r'));
    assert_true(kn_rank_score(&b, temporalis, 'r') > kn_rank_score(&a, temporalis, 'r'));
    assert_true(position(&a, masseter) < position(&a, temporalis));
    assert_true(position(&b, temporalis) < position(&b, masseter));
    /* Temple is a primary zone of temporalis and a secondary one of masseter. */
    const char *temple[] = {"temple_r", NULL};
    kn_painmap t = map_of(temple);
    kn_ranking r = rank_of(&t, 10);
    assert_true(kn_rank_score(&t, temporalis, 'r') > kn_rank_score(&t, masseter, 'r'));
    for (size_t k = 0; k < r.ntop; k++)
        if (r.top[k].muscle == masseter) {
            assert_false(kn_regionset_empty(&r.top[k].secondary));
            assert_true(kn_regionset_empty(&r.top[k].primary));
        }
    assert_float_equal(kn_rank_score(&t, temporalis, 'l'), 0.0, 1e-12);
}

/* Midline marks count for both sides: the candidate is reported once, side 'b'. The SCM's
 * forehead zone crosses the midline; the rectus abdominis refers across the back. */
static void test_midline_and_both_sides(void **state)
{
    (void)state;
    const char *vertex[] = {"vertex", NULL};
    kn_painmap m = map_of(vertex);
    kn_ranking r = rank_of(&m, 5);
    assert_true(r.ntop >= 2);
    for (size_t k = 0; k < r.ntop; k++)
        assert_int_equal(r.top[k].side, 'b');
    assert_string_equal(r.top[0].muscle->id, "splenius_capitis");

    const char *forehead[] = {"forehead_l", NULL};
    m = map_of(forehead);
    r = rank_of(&m, 10);
    bool scm = false;
    for (size_t k = 0; k < r.ntop; k++)
        if (strcmp(r.top[k].muscle->id, "sternocleidomastoid") == 0)
            scm = r.top[k].side == 'b';
    assert_true(scm);

    const char *band[] = {"lowback_l", "lowback_r", "midback_l", "midback_r", NULL};
    m = map_of(band);
    r = rank_of(&m, 3);
    assert_string_equal(r.top[0].muscle->id, "rectus_abdominis");
    assert_int_equal(r.top[0].side, 'b');
    assert_int_equal(r.ncover, 1);
}

/* Pain at a muscle's own trigger-point site counts, reported as local. */
static void test_local_pain_counts(void **state)
{
    (void)state;
    const char *forearm[] = {"forearm_back_r", NULL};
    kn_painmap m = map_of(forearm);
    kn_ranking r = rank_of(&m, 20);
    bool supinator = false;
    for (size_t k = 0; k < r.ntop; k++)
        if (strcmp(r.top[k].muscle->id, "supinator") == 0) {
            supinator = true;
            assert_true(kn_regionset_has(&r.top[k].local, kn_sided_find("forearm_back_r")));
            assert_true(r.top[k].score > 0);
        }
    assert_true(supinator);
}

/* The cover explains every mark, with no pick the others make redundant, and is no larger
 * than needed on maps one muscle explains. */
static void test_cover_explains_whole_map(void **state)
{
    (void)state;
    srand(11);
    size_t ns = kn_sided_count();
    for (int trial = 0; trial < 500; trial++) {
        kn_painmap m;
        kn_painmap_init(&m);
        kn_err err = {0};
        size_t marks = 1 + (size_t)rand() % 8;
        for (size_t k = 0; k < marks; k++)
            assert_int_equal(
                kn_painmap_add(&m, kn_sided_id(rand() % (int)ns), 1 + rand() % 10, "r", &err),
                KN_OK);
        kn_ranking r = rank_of(&m, 5);
        assert_true(kn_regionset_empty(&r.uncovered));
        assert_true(r.ncover >= 1 && r.ncover <= m.n);
        kn_regionset all = {{0, 0}};
        for (size_t p = 0; p < r.ncover; p++) {
            kn_regionset others = {{0, 0}};
            for (size_t q = 0; q < r.ncover; q++)
                if (q != p)
                    for (int w = 0; w < 2; w++)
                        others.bits[w] |= r.cover[q].explains.bits[w];
            bool needed = false;
            for (int w = 0; w < 2; w++)
                needed |= (r.cover[p].explains.bits[w] & ~others.bits[w]) != 0;
            assert_true(needed);
            for (int w = 0; w < 2; w++)
                all.bits[w] |= r.cover[p].explains.bits[w];
        }
        for (int w = 0; w < 2; w++)
            assert_int_equal(all.bits[w] & m.set.bits[w], m.set.bits[w]);
        /* Unexplained: exactly the marks none of the listed candidates explains. */
        for (int i = kn_regionset_next(&m.set, 0); i >= 0; i = kn_regionset_next(&m.set, i + 1)) {
            bool listed = false;
            for (size_t k = 0; k < r.ntop; k++)
                listed |= kn_regionset_has(&r.top[k].primary, i) ||
                          kn_regionset_has(&r.top[k].secondary, i) ||
                          kn_regionset_has(&r.top[k].local, i);
            assert_int_equal(kn_regionset_has(&r.unexplained, i), !listed);
        }
        /* Scores are 0-1 and best first. */
        for (size_t k = 0; k < r.ntop; k++) {
            assert_true(r.top[k].score > 0 && r.top[k].score <= 1);
            if (k)
                assert_true(r.top[k].score <= r.top[k - 1].score);
        }
    }
    /* One wide pattern instead of two narrow ones: gluteus minimus explains pseudo-sciatica. */
    const char *pseudo[] = {"buttock_r", "thigh_back_r", "calf_r", "leg_outer_r", NULL};
    kn_painmap m = map_of(pseudo);
    kn_ranking r = rank_of(&m, 5);
    assert_int_equal(r.ncover, 1);
    assert_string_equal(r.cover[0].muscle->id, "gluteus_minimus");
    const char *neck[] = {"neck_back_r", "shoulder_top_r", "neck_side_r", NULL};
    m = map_of(neck);
    r = rank_of(&m, 5);
    assert_int_equal(r.ncover, 1);
}

static void test_unexplained_and_bounds(void **state)
{
    (void)state;
    const char *two[] = {"heel_sole_r", "temple_l", NULL};
    kn_painmap m = map_of(two);
    kn_ranking r = rank_of(&m, 1);
    assert_int_equal(r.ntop, 1);
    assert_int_equal(kn_regionset_count(&r.unexplained), 1);
    assert_int_equal(r.ncover, 2);
    kn_err err = {0};
    assert_int_equal(kn_rank(&m, 0, &r, &err), KN_EINVAL);
    assert_int_equal(kn_rank(&m, KN_RANK_TOP_MAX + 1, &r, &err), KN_EINVAL);
    kn_painmap empty;
    kn_painmap_init(&empty);
    assert_int_equal(kn_rank(&empty, 5, &r, &err), KN_OK);
    assert_int_equal(r.ntop, 0);
    assert_int_equal(r.ncover, 0);
}

static void test_painmap_parsing(void **state)
{
    (void)state;
    kn_painmap m;
    kn_painmap_init(&m);
    kn_err err = {0};
    assert_int_equal(kn_painmap_parse(&m, "temple", "region", &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "temple_l"));
    assert_int_equal(kn_painmap_parse(&m, "temple_r:11", "region", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_parse(&m, "temple_r:0", "region", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_parse(&m, "temple_r:", "region", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_parse(&m, "vertex_l", "region", &err), KN_EINVAL);
    assert_int_equal(kn_painmap_parse(&m, "nowhere_r", "region", &err), KN_EINVAL);
    assert_int_equal(m.n, 0);
    assert_int_equal(kn_painmap_parse(&m, "temple_r:4", "region", &err), KN_OK);
    assert_int_equal(kn_painmap_parse(&m, "temple_r:7", "region", &err), KN_OK);
    assert_int_equal(kn_painmap_parse(&m, "temple_r", "region", &err), KN_OK);
    assert_int_equal(m.n, 1);
    int k = kn_painmap_find(&m, kn_sided_find("temple_r"));
    assert_int_equal(k, 0);
    assert_float_equal(m.intensity[k], 7.0, 1e-6);
    assert_float_equal(m.weight[k], 0.7, 1e-6);
    assert_int_equal(kn_painmap_parse(&m, "vertex", "region", &err), KN_OK);
    assert_int_equal(kn_painmap_find(&m, kn_sided_find("vertex")), 1);
    assert_float_equal(m.weight[1], 0.5, 1e-6);
    assert_float_equal(m.intensity[1], -1.0, 1e-6);
    assert_int_equal(kn_painmap_find(&m, kn_sided_find("temple_l")), -1);
    assert_int_equal(kn_painmap_add(&m, "jaw_l", 2.5, "region", &err), KN_OK);
    assert_int_equal(m.n, 3);
}

/* xorshift64*: a fixed sequence, so every run checks the same maps. */
static uint64_t rng = 0x2545f4914f6cdd1du;
static uint64_t next_random(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717u;
}

static size_t random_below(size_t n)
{
    return (size_t)(next_random() % n);
}

/* A random map of the given shape: kind 0 is the benchmark's (1-6 marks, mostly on one
 * side, intensities 1-10), kind 1 up to 14 marks with some intensities not given, kind 2
 * anywhere on the body with up to half of it marked (half of them a diary's, each mark
 * weighed by its days with pain in a window of up to ten years), kind 3 one or two marks. */
static kn_painmap random_map(int kind)
{
    kn_painmap m;
    kn_painmap_init(&m);
    kn_err err = {0};
    size_t ns = kn_sided_count();
    size_t marks = kind == 0   ? 1 + random_below(6)
                   : kind == 1 ? 1 + random_below(14)
                   : kind == 2 ? 1 + random_below(ns / 2)
                               : 1 + random_below(2);
    char side = next_random() % 2 ? 'l' : 'r';
    int window = kind == 2 && next_random() % 2 ? 1 + (int)random_below(3650) : 0;
    for (size_t k = 0; k < marks; k++) {
        int i = (int)random_below(ns);
        if (kind != 2) {
            char s = next_random() % 8 ? side : (side == 'l' ? 'r' : 'l');
            i = kn_sided_of(kn_sided_region(i), s);
        }
        double intensity = kind != 0 && next_random() % 4 == 0 ? -1 : 1 + (double)random_below(10);
        if (kind == 2 && next_random() % 3 == 0)
            intensity = 0.5 + (double)random_below(95) / 10; /* a --person mean */
        if (window) /* a diary's map: every mark has a mean, and its days with pain weigh */
            assert_int_equal(kn_painmap_add_days(&m, kn_sided_id(i), intensity < 0 ? 5 : intensity,
                                                 1 + (int)random_below((size_t)window), window, "r",
                                                 &err),
                             KN_OK);
        else
            assert_int_equal(kn_painmap_add(&m, kn_sided_id(i), intensity, "r", &err), KN_OK);
    }
    return m;
}

static bool same_set(const kn_regionset *a, const kn_regionset *b)
{
    return a->bits[0] == b->bits[0] && a->bits[1] == b->bits[1];
}

/* Exactly the same ranking: every field, scores to the last bit. */
static void assert_same_ranking(const kn_ranking *a, const kn_ranking *b, size_t trial)
{
    bool same = a->ntop == b->ntop && a->ncover == b->ncover &&
                same_set(&a->unexplained, &b->unexplained) &&
                same_set(&a->uncovered, &b->uncovered);
    for (size_t k = 0; same && k < a->ntop; k++) {
        const kn_candidate *x = &a->top[k], *y = &b->top[k];
        same = x->muscle == y->muscle && x->side == y->side &&
               memcmp(&x->score, &y->score, sizeof x->score) == 0 &&
               same_set(&x->primary, &y->primary) && same_set(&x->secondary, &y->secondary) &&
               same_set(&x->local, &y->local);
    }
    for (size_t k = 0; same && k < a->ncover; k++)
        same = a->cover[k].muscle == b->cover[k].muscle && a->cover[k].side == b->cover[k].side &&
               same_set(&a->cover[k].explains, &b->cover[k].explains);
    if (!same) {
        print_error("map %zu: kn_rank and kn_rank_reference differ\n", trial);
        for (size_t k = 0; k < a->ntop || k < b->ntop; k++)
            print_error("  %-24s %c %.9f | %-24s %c %.9f\n",
                        k < a->ntop ? a->top[k].muscle->id : "-",
                        k < a->ntop ? a->top[k].side : '-', k < a->ntop ? a->top[k].score : 0.0,
                        k < b->ntop ? b->top[k].muscle->id : "-",
                        k < b->ntop ? b->top[k].side : '-', k < b->ntop ? b->top[k].score : 0.0);
        for (size_t k = 0; k < a->ncover || k < b->ncover; k++)
            print_error("  cover %-18s | %-18s\n", k < a->ncover ? a->cover[k].muscle->id : "-",
                        k < b->ncover ? b->cover[k].muscle->id : "-");
    }
    assert_true(same);
}

/* kn_rank gives exactly the reference ranking (docs/RANKING.md computed step by step) on
 * 6000 seeded maps of every shape, for short and long top lists. */
static void test_rank_matches_reference(void **state)
{
    (void)state;
    static const size_t tops[] = {5, 5, 5, 1, 3, 8, 10, KN_RANK_TOP_MAX};
    kn_err err = {0};
    for (size_t trial = 0; trial < 6000; trial++) {
        kn_painmap m = random_map((int)(trial % 4));
        size_t top = tops[trial % (sizeof tops / sizeof tops[0])];
        kn_ranking fast, ref;
        assert_int_equal(kn_rank(&m, top, &fast, &err), KN_OK);
        assert_int_equal(kn_rank_reference(&m, top, &ref, &err), KN_OK);
        assert_same_ranking(&fast, &ref, trial);
    }
}

/* The scores and order agree with the slow scoring, kn_rank_score over every muscle side
 * (in double precision), as bench/triggers measures it: each listed score is that muscle
 * side's (both sides' for 'b'), best first, and no side left out scores higher than the
 * last one listed, nor any at all above 0 when the list is not full. */
static void test_rank_agrees_with_full_scan(void **state)
{
    (void)state;
    kn_err err = {0};
    size_t nm = kn_muscle_count();
    for (size_t trial = 0; trial < 3000; trial++) {
        kn_painmap m = random_map((int)(trial % 4));
        size_t top = trial % 3 ? 5 : 12;
        kn_ranking r;
        assert_int_equal(kn_rank(&m, top, &r, &err), KN_OK);
        assert_true(r.ntop >= 1 && r.ntop <= top);
        bool listed[512] = {false};
        assert_true(2 * nm <= sizeof listed / sizeof listed[0]);
        for (size_t k = 0; k < r.ntop; k++) {
            const kn_candidate *c = &r.top[k];
            size_t mi = (size_t)(c->muscle - kn_muscle_at(0));
            for (int s = 0; s < 2; s++) {
                char side = s ? 'r' : 'l';
                if (c->side != 'b' && c->side != side)
                    continue;
                listed[2 * mi + (size_t)s] = true;
                assert_float_equal(c->score, kn_rank_score(&m, c->muscle, side), 1e-5);
            }
            if (k)
                assert_true(c->score <= r.top[k - 1].score);
        }
        double bar = r.ntop == top ? r.top[r.ntop - 1].score + 1e-5 : 1e-9;
        for (size_t mi = 0; mi < nm; mi++)
            for (int s = 0; s < 2; s++)
                if (!listed[2 * mi + (size_t)s])
                    assert_true(kn_rank_score(&m, kn_muscle_at(mi), s ? 'r' : 'l') <= bar);
    }
}

/* Maps that kn_painmap_add would not make (a region twice, a weight above 1, a mark left
 * out of the set) go through the reference ranking, with its results. */
static void test_rank_takes_hand_made_maps(void **state)
{
    (void)state;
    kn_err err = {0};
    for (size_t trial = 0; trial < 300; trial++) {
        kn_painmap m = random_map((int)(trial % 4));
        switch (trial % 3) {
        case 0: /* the first region again */
            m.region[m.n] = m.region[0];
            m.weight[m.n] = 0.3f;
            m.intensity[m.n++] = 3;
            break;
        case 1:
            m.weight[0] = 1.5f;
            break;
        default: /* a mark the set does not hold */
            if (m.n > 1)
                m.set.bits[m.region[1] / 64] &= ~((uint64_t)1 << (m.region[1] % 64));
            break;
        }
        kn_ranking fast, ref;
        assert_int_equal(kn_rank(&m, 5, &fast, &err), KN_OK);
        assert_int_equal(kn_rank_reference(&m, 5, &ref, &err), KN_OK);
        assert_same_ranking(&fast, &ref, trial);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_condition_maps_rank_their_muscles),
        cmocka_unit_test(test_heel_map_names_no_upper_body_muscle),
        cmocka_unit_test(test_sides_are_respected),
        cmocka_unit_test(test_big_patterns_do_not_win_by_size),
        cmocka_unit_test(test_primary_and_intensity_count),
        cmocka_unit_test(test_midline_and_both_sides),
        cmocka_unit_test(test_local_pain_counts),
        cmocka_unit_test(test_cover_explains_whole_map),
        cmocka_unit_test(test_unexplained_and_bounds),
        cmocka_unit_test(test_painmap_parsing),
        cmocka_unit_test(test_rank_matches_reference),
        cmocka_unit_test(test_rank_agrees_with_full_scan),
        cmocka_unit_test(test_rank_takes_hand_made_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

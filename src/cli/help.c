/* Help texts of the knead command-line tool. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct help_entry {
    const char *name;
    const char *summary;
    const char *text;
} help_entry;

static const help_entry entries[] = {
    {"init", "create the database",
     "usage: knead init\n\n"
     "Creates the knead database at the database path (or checks an existing one and brings\n"
     "its schema up to date). A file that is not a knead database is refused, never changed.\n"},
    {"person", "add or list persons",
     "usage: knead person add --name NAME [--born YYYY] [--tz ZONE]\n"
     "       knead person list [--json]\n"
     "       knead person delete ID --yes\n\n"
     "delete erases the person and everything of theirs in one transaction; without --yes it\n"
     "only says what would be erased (exit 2).\n"
     "add prints the new person's id. ZONE is an IANA zone (Europe/Berlin), UTC, or a fixed\n"
     "offset (+01:00); it decides the local day of entries logged without an offset.\n"
     "Default zone: UTC.\n"},
    {"regions", "list the body-map regions",
     "usage: knead regions [--json]\n\n"
     "Lists the regions of the coded body map. Paired regions are always given with the\n"
     "person's own side, <id>_l or <id>_r; midline regions take no side.\n"},
    {"log", "record pain in one or more regions",
     "usage: knead log [--person ID] --region R[,R...] --intensity N [--quality Q[,Q...]]\n"
     "                 [--at TIME | --date YYYY-MM-DD] [--note TEXT] [--replace]\n\n"
     "Records one pain entry per region. N is 0-10. Qualities: aching, throbbing, shooting,\n"
     "stabbing, sharp, burning, electric, tingling, numbness, stiffness, cramping, tender, dull.\n"
     "TIME is ISO-8601 (2026-03-01T08:30+01:00; without offset, the person's zone); default\n"
     "now; --date DAY logs for a day without a time, at 12:00 in the person's zone. Never\n"
     "before the person's birth year nor more than a day ahead. An entry already there for\n"
     "that instant and region is refused unless --replace changes it. --person may be left\n"
     "out when the database holds one person. Regions and qualities are matched without\n"
     "regard to case, with spaces after commas allowed; an unknown region gets the closest ids,\n"
     "an unknown quality the closest quality.\n"},
    {"edit", "correct a pain entry, check-in or session",
     "usage: knead edit pain ID [--person ID] [--intensity N] [--region R] [--quality Q]...\n"
     "                          [--note TEXT]\n"
     "       knead edit checkin YYYY-MM-DD [--person ID] [checkin fields...]\n"
     "       knead edit session ID [--person ID] [--minutes M] [--therapist WHO]\n"
     "                             [--work R:P[:D]]... [--technique T]... [--pre N] [--post N]\n"
     "                             [--note TEXT]\n\n"
     "Changes the given fields of one record of the person (ids are shown by knead diary);\n"
     "a list given (qualities, tags, work) replaces the stored one. A signed session is not\n"
     "edited: amend its note.\n"},
    {"delete", "delete a pain entry, check-in or session",
     "usage: knead delete pain ID [--person ID]\n"
     "       knead delete checkin YYYY-MM-DD [--person ID]\n"
     "       knead delete session ID [--person ID]\n\n"
     "Deletes one record of the person, with what belongs to it (a check-in's tags and\n"
     "treatments, a session's work, events and notes). A signed session is not deleted.\n"},
    {"checkin", "record the daily check-in",
     "usage: knead checkin [--person ID] [--date YYYY-MM-DD] [--stress N] [--sleep-hours H]\n"
     "                     [--sleep-quality N] [--routine normal|disrupted] [--pain-free]\n"
     "                     [--tag T]... [--treatment NAME[:DOSE]]... [--peg P,E,G]\n"
     "                     [--note TEXT]\n\n"
     "One check-in per local day (default today). A second one for the same day updates it:\n"
     "fields you give replace the recorded ones, fields you leave out are kept. Stress and\n"
     "sleep quality are 0-10, sleep hours 0-24 with one decimal, PEG three answers 0-10\n"
     "(average pain, interference with enjoyment of life, with general activity). Tags and\n"
     "treatment names are stored in lower case with single spaces; 'Ibuprofen 400mg' is\n"
     "the treatment ibuprofen with the dose 400mg, as ibuprofen:400mg is ('Ibuprofen 400 mg'\n"
     "has the dose 400 mg: from the first word that starts with a digit).\n"},
    {"session", "record a massage session, or run one live",
     "usage: knead session add [--person ID] --minutes M --therapist WHO\n"
     "                         --work R:PRESSURE[:DISCOMFORT]... [--technique T]...\n"
     "                         [--pre N] [--post N] [--at TIME] [--note TEXT]\n"
     "       knead session start [--person ID] [--plan PLAN] [--therapist WHO] [--pre N]\n"
     "       knead session feedback SESSION --region R --pressure N [--discomfort N]\n"
     "                              [--guarding] [--note TEXT]\n"
     "       knead session finish SESSION [--post N] [--minutes M] [--subjective T]\n"
     "                            [--objective T] [--assessment T] [--plan T]\n"
     "       knead session note SESSION [--subjective T] ...   (before signing)\n"
     "       knead session sign SESSION --therapist WHO\n"
     "       knead session amend SESSION --therapist WHO --reason TEXT [--subjective T] ...\n"
     "       knead session show SESSION [--json]\n"
     "       knead session cancel SESSION   (an open session: kept, out of analysis)\n\n"
     "WHO is a therapist on record (knead therapist list): the id, or the name when exactly\n"
     "one therapist has it (any case); an unknown or shared name is refused with the\n"
     "candidates.\n\n"
     "add records a session after the fact. PRESSURE is the spoken scale 1-10, DISCOMFORT\n"
     "0-10; --pre/--post are pain before and after (0-10).\n\n"
     "start opens a live session (refused while the screening says emergency or refer) and\n"
     "prints its id; with --plan, the blocks the current screening changes are listed on\n"
     "standard error. feedback records one timestamped event: discomfort 8 or more says ease\n"
     "off now; a pressure above the screening cap or work on an avoid zone is refused.\n"
     "finish closes it: the diary record and the SOAP note get the regions, minutes,\n"
     "pressures and feedback from the events. sign locks it; after that only amend changes\n"
     "the note, and every version is kept and shown. start, feedback, finish and note take\n"
     "--at TIME (default now); sign and amend are dated by the clock. One open session a\n"
     "person: cancel abandons one.\n"},
    {"diary", "show the diary day by day",
     "usage: knead diary [--person ID] [--from DATE] [--to DATE] [--last N] [--all] [--json]\n\n"
     "Shows a summary, then each day: pain entries, the check-in and sessions. --last N\n"
     "shows the N days up to today in the person's zone; without a range the last 30 days\n"
     "(the header says so), --all everything.\n"},
    {"import", "import CSV files",
     "usage: knead import [--person ID] FILE...\n"
     "       knead import EXPORT.json   (a full export, into an empty database)\n\n"
     "Imports pain, checkin or session CSV files (the kind is told by the header row; see\n"
     "docs/CSV.md). All files go in one transaction: on the first bad row nothing is written\n"
     "and the error reads FILE:LINE: field: reason. Rows already recorded are skipped, so\n"
     "importing a file twice adds nothing. FILE '-' reads standard input. A full export\n"
     "(knead export --all) is read back unchanged, ids included, into a database that holds\n"
     "no person yet (made when missing); see docs/EXPORT.md.\n"},
    {"export", "export records as CSV or JSON",
     "usage: knead export [--person ID] --kind pain|checkin|session [--format csv|json]\n"
     "                    [-o FILE]\n"
     "       knead export [--person ID] --all [-o FILE.json]\n\n"
     "Writes every record of that kind (default CSV, to standard output). An export imports\n"
     "back into a new database as the same diary. --all writes everything knead holds about\n"
     "the person as one JSON document (docs/EXPORT.md).\n"},
    {"demo", "create a synthetic demo person",
     "usage: knead demo [--days N] [--seed S] [--end DATE] [--name NAME]\n\n"
     "Creates a realistic synthetic person (chronic right neck and shoulder pain with temple\n"
     "headaches that follow stress, short sleep and weekly massage) with N days of diary\n"
     "(default 120) ending on DATE (default today). The same seed and end give the same\n"
     "diary. Without --db or $KNEAD_DB it goes into a database of its own, knead-demo.db\n"
     "beside the default one (your own is left alone), and says how to use it:\n"
     "knead --db PATH COMMAND. Once that database holds the demo, a new one is refused.\n"},
    {"triggers", "muscles worth checking for a pain map",
     "usage: knead triggers REGION[:INTENSITY]... [--top K] [--person ID] [--json]\n"
     "       knead triggers [--person ID] [--days N] [--top K] [--json]\n\n"
     "Ranks the muscles whose trigger points refer pain to the marked regions (intensity\n"
     "1-10, optional), best first, with the regions each explains (primary or secondary\n"
     "zone, or its own trigger-point site), a small set of muscles that together explain the\n"
     "whole map, and the regions the listed muscles leave unexplained. K is 1-50 (default\n"
     "5). Without regions the map is the person's last N days of diary (default 30): each\n"
     "region with the mean of its daily worst and its days with pain, weighed by both. For\n"
     "a person, the latest screening comes first. Scoring: docs/RANKING.md. Information for\n"
     "you and your therapist, not a diagnosis.\n"},
    {"condition", "condition guides, and which a pain map resembles",
     "usage: knead condition [ID] [--person ID] [--json]\n"
     "       knead condition --match REGION[:INTENSITY]... [--person ID] [--duration D]\n"
     "                       [--json]\n"
     "       knead condition --person ID [--days N] [--duration D] [--json]\n\n"
     "Without ID lists the eight guides (tmjd, headache, carpal_tunnel, stiff_neck,\n"
     "sciatica, plantar_fasciitis, it_band, si_joint); with ID prints one: typical picture\n"
     "and pain map, red flags to ask first, muscles to assess, self-care, confirmed codes.\n"
     "--match (or --person alone: the last N days of diary, default 30) says which guides a\n"
     "pain map resembles, why, and which red-flag questions to ask. For a person, the latest\n"
     "screening comes first. How long the pain has lasted counts: --duration D (\"3 days\",\n"
     "\"2 years\", \"since 2024\"), else the person's diary and intake; a guide that usually\n"
     "settles soon (stiff neck) is ranked down for an older pain, and says so. Information\n"
     "for you and your therapist, not a diagnosis.\n"},
    {"screen", "red-flag and contraindication screening before massage",
     "usage: knead screen --questions [--json]\n"
     "       knead screen [--person ID] [--answers FILE.json] [--yes Q[=REGION,...]]...\n"
     "                    [--no Q]... [--update] [--at TIME] [--json]\n"
     "       knead screen [--person ID] --show | --history [--json]\n\n"
     "Asks the red-flag and contraindication questions (y or n; Enter skips, q stops) and\n"
     "stores the dated verdict with the person: emergency (seek care now), refer (see a\n"
     "physician before massage), caution (regions to avoid, a pressure cap) or clear.\n"
     "For scripts: --answers FILE.json ({\"QUESTION\": \"yes\"|\"no\"|\"skip\", ...};\n"
     "questions left out stay unanswered), or --yes/--no (every question not named counts\n"
     "as answered no, unless an earlier screening answered it). Q=REGION,... says where,\n"
     "for questions that ask where. Every screening starts from the latest answers and\n"
     "changes only those given: a red flag is lifted only by an explicit no (or a\n"
     "clearance, see knead help clearance). A screening that answers nothing stores\n"
     "nothing (exit 1). Every screening is kept; while the latest is emergency or refer,\n"
     "guides and rankings for the person say so first. --show prints the latest, --history\n"
     "all.\n"},
    {"clearance", "a clinician's recorded clearance of a red flag",
     "usage: knead clearance add --question ID --by NAME [--note TEXT] [--max-pressure N]\n"
     "                           [--person ID] [--json]\n"
     "       knead clearance list [--person ID] [--json]\n\n"
     "Records that a clinician has cleared the red flag or contraindication of one question\n"
     "of the latest screening (question ids: knead screen --questions). Dated now; kept for\n"
     "good, never deleted. The question no longer blocks plans and sessions; --max-pressure\n"
     "sets the pressure cap that holds instead. A later screening answering yes to the same\n"
     "question raises it again. A question the latest screening does not raise cannot be\n"
     "cleared (exit 1).\n"},
    {"insights", "what the diary shows: chronic regions, flares, drivers, massage, outcomes",
     "usage: knead insights [--person ID] [--from DATE] [--to DATE] [--details] [--json]\n\n"
     "Which regions are chronic (pain over more than three months), when pain flared (2 or\n"
     "more above the median of the 28 days before), which factors go with more pain the same\n"
     "day or the next (stress, sleep, routine, tags, treatments; Spearman and Welch tests,\n"
     "Benjamini-Hochberg adjusted), how pain changed in the 3 days after each massage, and\n"
     "whether worst pain and PEG improved (IMMPACT categories). DATEs are inclusive local\n"
     "dates; default all data. The definitions are in docs/INSIGHTS.md. These are\n"
     "associations in your own diary, not diagnoses or proof of a cause. Each finding is one\n"
     "sentence with a strength word; --details adds the numbers behind it, --json has them\n"
     "all. A treatment is never a driver: it is reported as taken on worse days.\n"},
    {"therapist", "add, list, show and match massage therapists",
     "usage: knead therapist add --name NAME [--license ID] [--board-certified]\n"
     "                           [--amta-member] [--specialty CONDITION_OR_TECHNIQUE]...\n"
     "       knead therapist list [--json]\n"
     "       knead therapist show ID [--json]\n"
     "       knead therapist match [--person ID] [--days N] [--json]\n\n"
     "match ranks therapists for a person: licensed first, then by how their specialties\n"
     "fit the conditions the person's pain map resembles (or their intake names), the\n"
     "muscles ranked for it and the techniques a plan uses. Every point is explained.\n"
     "The screening comes first: under an emergency or refer verdict, the red flag.\n"},
    {"intake", "record what the person tells their therapist (versioned)",
     "usage: knead intake [--person ID] [--answers FILE.json] [--json]\n"
     "       knead intake --show [--person ID] [--json]\n\n"
     "Goals, diagnosed conditions, medications, recent injury or surgery, pregnancy, clots,\n"
     "skin conditions, oil or lotion allergies, regions to avoid, pressure preferences and\n"
     "notes. Interactive on a terminal (the red-flag questions follow); --answers takes the\n"
     "keys of docs/CARE.md. It runs the red-flag screening and stores its verdict. A changed\n"
     "answer makes a new version; nothing is overwritten.\n"},
    {"plan", "a tailored, explained session plan",
     "usage: knead plan [--person ID] [--minutes 60] [--therapist WHO] [--days 30] [--save]\n"
     "                  [--json]\n"
     "       knead plan --show PLAN [--person ID] [--json]\n\n"
     "Warm-up, one focus block per chosen muscle and side, closing; the minutes follow the\n"
     "pain burden of the last DAYS days and add up to the session. Pressure comes from the\n"
     "person's preference and what past feedback showed they tolerate, never above the\n"
     "screening cap; avoid zones are never worked. Refused (exit 1) while the screening says\n"
     "emergency or refer. Without --save a preview that stores nothing; --save stores it and\n"
     "prints its id, for session start --plan (docs/CARE.md). --show prints one as the current\n"
     "screening allows it: pressure above today's cap lowered, avoid zones left out, blocks\n"
     "with nothing left not to be done, each change said first with its reason.\n"},
    {"brief", "one page for the therapist",
     "usage: knead brief [--person ID] [--days 30] [--format text|markdown|json] [--json]\n\n"
     "The screening verdict and avoid zones first, then the worst regions on a small body\n"
     "map, chronic regions, recent flares, likely drivers, trigger-point candidates, past\n"
     "sessions (pressure, discomfort, change after), the PEG trend and the person's own\n"
     "words and pressure preferences.\n"},
    {"help", "show help", "usage: knead help [COMMAND [SUBCOMMAND]]\n"},
};

#define NENTRIES (sizeof entries / sizeof entries[0])

/* Prints the usage lines of "knead name sub" (its line and the indented ones that continue
 * it) from the entry's usage block; false when the block names no such sub-command. */
static bool print_sub_usage(const help_entry *e, const char *sub)
{
    char want[64];
    snprintf(want, sizeof want, "knead %s %s", e->name, sub);
    size_t wlen = strlen(want);
    bool found = false, in = false;
    for (const char *line = e->text; *line && *line != '\n';) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *k = strstr(line, "knead ");
        bool starts = k && k < line + len;
        if (starts) {
            const char *after = k + wlen;
            in = (size_t)(line + len - k) >= wlen && strncmp(k, want, wlen) == 0 &&
                 (*after == ' ' || *after == '\n' || *after == 0);
        }
        if (in) {
            if (starts)
                printf("usage: %.*s\n", (int)(line + len - k), k);
            else
                printf("%.*s\n", (int)len, line);
            found = true;
        }
        line += len + (end ? 1 : 0);
    }
    return found;
}

int cli_help_sub(const char *name, const char *sub)
{
    for (size_t i = 0; i < NENTRIES; i++) {
        if (strcmp(entries[i].name, name) != 0)
            continue;
        if (!print_sub_usage(&entries[i], sub))
            return cli_error(CLI_USAGE, "help: '%s' has no sub-command '%s' (see knead help %s)",
                             name, sub, name);
        printf("\nMore: knead help %s\n", name);
        return CLI_OK;
    }
    return cli_error(CLI_USAGE, "help: no such command '%s' (see knead help)", name);
}

int cli_help(const char *name)
{
    if (name) {
        for (size_t i = 0; i < NENTRIES; i++) {
            if (strcmp(entries[i].name, name) == 0) {
                fputs(entries[i].text, stdout);
                return CLI_OK;
            }
        }
        return cli_error(CLI_USAGE, "help: no such command '%s' (see knead help)", name);
    }
    printf("knead: a chronic-pain diary and massage-care tool\n\n"
           "usage: knead [--db PATH] COMMAND [OPTIONS]\n\n"
           "Commands:\n");
    for (size_t i = 0; i < NENTRIES; i++)
        printf("  %-9s %s\n", entries[i].name, entries[i].summary);
    printf("\nThe database is --db PATH, else $KNEAD_DB, else $XDG_DATA_HOME/knead/knead.db\n"
           "(default ~/.local/share/knead/knead.db). Read commands take --json.\n"
           "Exit status: 0 ok, 1 failure, 2 usage error.\n\n"
           "knead informs and flags; it does not diagnose.\n");
    return CLI_OK;
}

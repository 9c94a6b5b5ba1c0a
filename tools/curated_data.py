#!/usr/bin/env python3
"""Writes data/actors.csv, data/sources.csv and data/relations.csv: the curated dataset.

The facts come from the two seed articles (intelNews, 1 Dec 2025 with its related-article
teasers; LA Report, 12 Nov 2025 and intelNews, 26 Jan 2026), from the original articles behind
the undated teasers, and from public record for founding facts; each is cited by id.
Dating rule: an event's own date when a source gives it (at the precision given); otherwise
the date of the first report we cite, and the summary says so.

Kept as a script so that the CSV quoting is always right; the CSVs are the source of truth
that georel reads. Run from the repository root: python3 tools/curated_data.py
"""
import csv

ACTORS = [
    # id, name, kind, parent, aliases
    ("USA", "United States", "country", "", "US;United States of America;Washington"),
    ("CIA", "Central Intelligence Agency", "agency", "USA", ""),
    ("FBI", "Federal Bureau of Investigation", "agency", "USA", ""),
    ("NSA", "National Security Agency", "agency", "USA", ""),
    ("PENTAGON", "Department of Defense (Pentagon)", "agency", "USA", "Pentagon;DoD;US Department of Defense"),
    ("WHITE_HOUSE", "White House", "agency", "USA", "Executive Office of the President"),
    ("TRUMP", "Donald Trump", "person", "USA", "President Trump"),
    ("BUSH", "George W. Bush", "person", "USA", ""),
    ("COL", "Colombia", "country", "", "Bogotá"),
    ("DNI", "National Intelligence Directorate (DNI)", "agency", "COL", "Dirección Nacional de Inteligencia"),
    ("PETRO", "Gustavo Petro", "person", "COL", "President of Colombia"),
    ("BENEDETTI", "Armando Benedetti", "person", "COL", "Colombian Minister of the Interior"),
    ("LEMUS", "Jorge Lemus", "person", "DNI", "Director of the DNI"),
    ("VEN", "Venezuela", "country", "", ""),
    ("NLD", "Netherlands", "country", "", "Holland;The Netherlands"),
    ("AIVD", "General Intelligence and Security Service (AIVD)", "agency", "NLD", "Algemene Inlichtingen- en Veiligheidsdienst"),
    ("MIVD", "Military Intelligence and Security Service (MIVD)", "agency", "NLD", "Militaire Inlichtingen- en Veiligheidsdienst"),
    ("DNK", "Denmark", "country", "", "Danish government"),
    ("GRL", "Greenland", "country", "DNK", "Kalaallit Nunaat"),
    ("DDIS", "Danish Defence Intelligence Service (DDIS)", "agency", "DNK", "FE;Forsvarets Efterretningstjeneste"),
    ("DNPOL", "Danish National Police", "agency", "DNK", "Rigspolitiet"),
    ("GBR", "United Kingdom", "country", "", "UK;Britain;Great Britain"),
    ("CAN", "Canada", "country", "", ""),
    ("AUS", "Australia", "country", "", ""),
    ("NZL", "New Zealand", "country", "", ""),
    ("FIVE_EYES", "Five Eyes", "alliance", "", "FVEY;UKUSA"),
    ("NATO", "NATO", "alliance", "", "North Atlantic Treaty Organization;OTAN"),
    ("JPN", "Japan", "country", "", "Tokyo"),
    ("YAMAGAMI", "Shingo Yamagami", "person", "JPN", "Japanese ambassador to Australia"),
    ("KOR", "South Korea", "country", "", "Republic of Korea;ROK;Seoul"),
    ("PRK", "North Korea", "country", "", "DPRK"),
    ("GSOMIA", "GSOMIA (Japan–South Korea)", "agreement", "", "General Security of Military Information Agreement"),
    ("UKR", "Ukraine", "country", "", "Kyiv"),
    ("ZELENSKYY", "Volodymyr Zelenskyy", "person", "UKR", "Zelensky"),
    ("RUS", "Russia", "country", "", "Russian Federation;Moscow"),
    ("BEL", "Belgium", "country", "", ""),
    ("VSSE", "State Security Service (VSSE)", "agency", "BEL", "Belgian State Security;Veiligheid van de Staat;Sûreté de l'État"),
    ("IND", "India", "country", "", "New Delhi"),
    ("CHN", "China", "country", "", "People's Republic of China;PRC;Beijing"),
    ("HND", "Honduras", "country", "", ""),
    ("FOREIGN_SURVEILLANCE", "Unnamed foreign surveillance", "organisation", "", ""),
]

SEED_DEC = "INTELNEWS-2025-12-01"
SEED_NOV = "LAREPORT-2025-11-12"
SEED_JAN = "INTELNEWS-2026-01-26"

SOURCES = [
    # id, title, publisher, published, url, reliability (NATO Admiralty, the curator's grade)
    (SEED_DEC, "Colombian spy chief claims intelligence-sharing with CIA continues despite dispute (with related-article teasers)", "intelNews.org (Joseph Fitsanakis)", "2025-12-01", "", "B"),
    (SEED_NOV, "Colombia Suspends Intelligence Cooperation with U.S. Over Caribbean Strikes, Says President Petro", "LA Report", "2025-11-12", "", "C"),
    (SEED_JAN, "Intelligence tensions rock NATO as Danish government issues espionage advisory", "intelNews.org (Joseph Fitsanakis)", "2026-01-26", "", "B"),
    ("NLTIMES-2025-10-18", "Dutch intelligence services cut back on sharing information with U.S. (joint interview with de Volkskrant)", "NL Times", "2025-10-18", "https://nltimes.nl/2025/10/18/dutch-intelligence-services-cut-back-sharing-information-us", "B"),
    ("FIRSTPOST-2023-01-17", "CIA chief secretly met Zelenskyy in Ukraine before Russian invasion to reveal Putin's plan to kill him, says book", "Firstpost", "2023-01-17", "https://www.firstpost.com/world/cia-chief-secretly-met-zelenskyy-in-ukraine-before-russian-invasion-to-reveal-putins-plan-to-kill-him-says-book-12002892.html", "C"),
    ("VRT-2022-09-17", "Un complot visant à assassiner l'ancien président George W. Bush", "VRT NWS", "2022-09-17", "https://www.vrt.be/vrtnws/fr/2022/09/17/un-complot-visant-a-assassiner-l-ancien-president-george-w-bush/", "B"),
    ("VOB-2022", "Belgian intelligence prevented an attack on ex-US President Bush", "Voice of Brussels", "2022", "https://www.voiceofbrussels.com/post/belgian-intelligence-prevented-an-attack-on-ex-us-president-bush", "C"),
    ("REUTERS-2020-12-02", "U.S. may start sharing sensitive intelligence with Honduras in drug fight", "Reuters", "2020-12-02", "https://www.reuters.com/article/us-usa-military-honduras-idUSKBN28C0JN", "B"),
    ("INTELNEWS-2020-12-03", "US wants to share sensitive intelligence with Honduras to combat drug traffickers", "intelNews.org (Joseph Fitsanakis)", "2020-12-03", "https://intelnews.org/tag/honduras/", "B"),
    ("TIMES-2021-04-21", "Japan prepares to join Anglophone intelligence-sharing network", "The Times", "2021-04-21", "https://www.thetimes.co.uk/article/japan-prepares-to-join-anglophone-intelligence-sharing-network-8dsmsz5wm", "B"),
    ("INTELNEWS-2020-12-23", "Mutual distrust of China heightens US-Indian intelligence cooperation to historic levels", "intelNews.org", "2020-12-23", "https://intelnews.org/2020/12/23/01-2925/", "B"),
    ("INTELNEWS-2021-06-01", "We knew about the US-Danish spy collaboration. The revelations are still remarkable", "intelNews.org", "2021-06-01", "https://intelnews.org/2021/06/01/01-3012/", "B"),
    ("CRS-2014-05-20", "Ukraine: Current Issues and U.S. Policy (Russia annexed Crimea on March 18, 2014)", "Congressional Research Service", "2014-05-20", "", "A"),
    ("RECORD-INVASION-2022", "Public record: Russia's full-scale invasion of Ukraine began on 24 February 2022", "public record", "2022-02-24", "", "A"),
    ("RECORD-UKUSA-1946", "Public record: the British-US Communication Intelligence Agreement (UKUSA) signed on 5 March 1946", "public record", "1946-03-05", "", "A"),
    ("RECORD-UKUSA-CAN-1948", "Public record: Canada joined the UKUSA arrangements in 1948", "public record", "1948", "", "A"),
    ("RECORD-UKUSA-AUS-NZL-1956", "Public record: Australia and New Zealand joined the UKUSA arrangements in 1956", "public record", "1956", "", "A"),
    ("RECORD-NATO-1949", "Public record: the North Atlantic Treaty, signed in Washington on 4 April 1949 by the founding members", "public record", "1949-04-04", "", "A"),
    ("RECORD-GSOMIA-2016", "Public record: Japan and South Korea signed GSOMIA on 23 November 2016", "public record", "2016-11-23", "", "A"),
    ("RECORD-GSOMIA-2019-08-22", "Public record: South Korea announced the termination of GSOMIA on 22 August 2019", "public record", "2019-08-22", "", "A"),
    ("RECORD-GSOMIA-2019-11-22", "Public record: South Korea suspended its GSOMIA termination notice on 22 November 2019", "public record", "2019-11-22", "", "A"),
    ("RECORD-GSOMIA-2023-03", "Public record: GSOMIA fully normalised in March 2023", "public record", "2023-03", "", "A"),
    ("RECORD-PLAN-COLOMBIA-2000", "Public record: Plan Colombia, US assistance enacted in 2000 (Public Law 106-246)", "public record", "2000", "", "A"),
]

def ev(*ids):
    return ";".join(ids)

RELATIONS = [
    # id, source, target, kind, start, end, directed, evidence, summary
    # --- Colombia and the United States, 2025 ---
    ("COL-USA-PLAN-COLOMBIA", "COL", "USA", "cooperation", "2000", "", "", ev("RECORD-PLAN-COLOMBIA-2000", SEED_NOV),
     "Long-standing counternarcotics and intelligence cooperation, dated from Plan Colombia (2000). The reports of its suspension on 11 Nov 2025 attest that it was in force until then; whether it then stopped is what the sources dispute."),
    ("USA-PETRO-SANCTIONS", "WHITE_HOUSE", "PETRO", "dispute", "2025-10", "", "true", ev(SEED_DEC),
     "About two weeks before 11 Nov 2025 the White House accused President Petro of taking part in the illicit drug trade and imposed sanctions on him and his immediate family. The article gives no exact day, so only the month."),
    ("COL-USA-CARIBBEAN-DISPUTE", "COL", "USA", "dispute", "2025-10", "", "", ev(SEED_NOV, SEED_DEC),
     "Political dispute over US strikes on boats in the Caribbean: in October Petro accused the US of using the fight against drug trafficking as a pretext and called the strikes 'absurdly illegal'."),
    ("COL-USA-SUSPENSION", "COL", "USA", "restriction", "2025-11-11", "", "", ev(SEED_NOV, SEED_DEC),
     "President Petro orders Colombia's intelligence agencies to 'suspend intelligence sharing with US intelligence agencies' until the US stops its strikes on boats in the Caribbean."),
    ("COL-USA-BENEDETTI", "COL", "USA", "cooperation", "2025-11-13", "", "", ev(SEED_DEC),
     "Interior Minister Armando Benedetti says reports of a breakdown were 'a misunderstanding' and that Colombia will 'continue working […] against drug trafficking and crime with the United States'."),
    ("DNI-CIA-LEMUS", "DNI", "CIA", "cooperation", "2025-12-01", "", "", ev(SEED_DEC),
     "DNI director Jorge Lemus tells AFP that the relationship with the CIA was not disrupted: 'We continue exactly as before […] not only with the CIA, but with all agencies'."),
    ("GBR-USA-CARIBBEAN-PAUSE", "GBR", "USA", "restriction", "2025-11-12", "", "", ev(SEED_NOV),
     "The UK paused sharing intelligence on suspicious ship movements in the Caribbean with the US (The Times, unnamed source). Dated from this report; the start of the pause is not given."),
    # --- The Netherlands ---
    ("AIVD-USA-RESTRICTION", "AIVD", "USA", "restriction", "2025-10-18", "", "", ev("NLTIMES-2025-10-18", SEED_DEC),
     "The AIVD restricts intelligence sharing with its US counterparts (CIA, NSA) over political developments in Washington, as its director-general confirmed in a joint interview with de Volkskrant. Dated from that confirmation; it began earlier."),
    ("MIVD-USA-RESTRICTION", "MIVD", "USA", "restriction", "2025-10-18", "", "", ev("NLTIMES-2025-10-18", SEED_DEC),
     "The MIVD restricts intelligence sharing with its US counterparts ('sometimes we no longer tell certain things'), as its director confirmed in the joint interview with de Volkskrant. Dated from that confirmation; it began earlier."),
    # --- NATO, Greenland and the Danish advisories, January 2026 ---
    ("DNK-USA-GREENLAND", "DNK", "USA", "dispute", "2026-01-26", "", "", ev(SEED_JAN),
     "The dispute between the US and Europe over Greenland is 'creating tensions and distrust between European and US colleagues in NATO' (a senior NATO insider). Dated from this report."),
    ("CAN-USA-NATO-RETICENCE", "CAN", "USA", "restriction", "2026-01-26", "", "", ev(SEED_JAN),
     "Canadian (and European) NATO staff are 'not talking openly' with their US counterparts, fearing that information will reach President Trump. Dated from this report."),
    ("PENTAGON-NATO-SCALE-BACK", "PENTAGON", "NATO", "restriction", "2026-01-26", "", "", ev(SEED_JAN),
     "Reports from the US say the White House has ordered the Pentagon to 'scale back' its participation in NATO's force structure and several transnational advisory groups. Dated from this report."),
    ("DNK-ADVISORY-BLUETOOTH", "DNK", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN),
     "The Danish government advises military and civilian officials to disable Bluetooth on government and personal devices over intensified foreign surveillance; the foreign power is not named. Dated from this report."),
    ("DDIS-ADVISORY-BLUETOOTH", "DDIS", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN),
     "The DDIS advises military personnel across Denmark and Greenland to deactivate all Bluetooth functions. Dated from this report."),
    ("DNPOL-ADVISORY-BLUETOOTH", "DNPOL", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN),
     "The Danish National Police IT department tells personnel to keep Bluetooth off until further notice: headsets could be entry points for eavesdropping. Dated from this report."),
    # --- GSOMIA ---
    ("JPN-GSOMIA", "JPN", "GSOMIA", "membership", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC),
     "Party to GSOMIA, initiated in 2016 under American tutelage."),
    ("KOR-GSOMIA", "KOR", "GSOMIA", "membership", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC),
     "Party to GSOMIA, initiated in 2016 under American tutelage."),
    ("JPN-KOR-GSOMIA-SHARING", "JPN", "KOR", "cooperation", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC),
     "Sharing of intelligence on North Korea's missile and nuclear programmes under GSOMIA."),
    ("KOR-JPN-GSOMIA-NOTICE", "KOR", "JPN", "dispute", "2019-08-22", "2019-11-22", "true", ev("RECORD-GSOMIA-2019-08-22", "RECORD-GSOMIA-2019-11-22"),
     "South Korea gives notice that it will terminate GSOMIA; the notice is suspended on 22 Nov 2019, the day before it would have taken effect. Sharing went on meanwhile, so this is a dispute, not a restriction."),
    ("KOR-JPN-GSOMIA-CRISIS", "KOR", "JPN", "dispute", "2019-11", "2023-03", "", ev(SEED_DEC, "RECORD-GSOMIA-2023-03"),
     "'In November of 2019, the South Korean government threatened to terminate' GSOMIA; the spat lasted until the agreement was fully normalised in March 2023."),
    ("USA-JPN-CHIEFS-2021", "USA", "JPN", "cooperation", "2021", "", "", ev(SEED_DEC),
     "The intelligence chiefs of the US, Japan and South Korea meet behind closed doors 'nearly two years after' the November 2019 spat; the year is inferred from that."),
    ("USA-KOR-CHIEFS-2021", "USA", "KOR", "cooperation", "2021", "", "", ev(SEED_DEC),
     "The intelligence chiefs of the US, Japan and South Korea meet behind closed doors 'nearly two years after' the November 2019 spat; the year is inferred from that."),
    ("JPN-KOR-CHIEFS-2021", "JPN", "KOR", "cooperation", "2021", "", "", ev(SEED_DEC),
     "Trilateral meeting of intelligence chiefs with the US, meant to repair Japan–South Korea intelligence cooperation; the year is inferred from 'nearly two years after' November 2019."),
    # --- India ---
    ("USA-IND-2002", "USA", "IND", "cooperation", "2002", "", "", ev("INTELNEWS-2020-12-23"),
     "The two countries' military forces formalised intelligence-sharing systems on regional security in 2002."),
    ("USA-IND-2020", "USA", "IND", "cooperation", "2020-10", "", "", ev("INTELNEWS-2020-12-23", SEED_DEC),
     "Intelligence cooperation 'reached historic levels in the closing months of 2020', marked by the BECA agreement signed in October 2020 and driven by mutual distrust of China."),
    ("IND-CHN-BORDER-2020", "IND", "CHN", "dispute", "2020", "", "", ev("INTELNEWS-2020-12-23"),
     "Bloody Himalayan border dispute between India and China in 2020, which drove India to deepen intelligence sharing with the US."),
    ("USA-CHN-DISTRUST-2020", "USA", "CHN", "dispute", "2020", "", "", ev("INTELNEWS-2020-12-23", SEED_DEC),
     "'Mutual distrust of China' is given as the driver of US–India intelligence cooperation in 2020."),
    # --- Ukraine and Russia ---
    ("USA-UKR-SINCE-2014", "USA", "UKR", "cooperation", "2014", "", "", ev(SEED_DEC),
     "Ukraine's close intelligence relationship with the US 'has grown dramatically in depth and intensity since Russia's annexation of Crimea in 2014'."),
    ("RUS-UKR-CRIMEA", "RUS", "UKR", "dispute", "2014-03-18", "", "true", ev("CRS-2014-05-20", SEED_DEC),
     "Russia annexes Crimea."),
    ("RUS-UKR-INVASION", "RUS", "UKR", "dispute", "2022-02-24", "", "true", ev("RECORD-INVASION-2022", SEED_DEC),
     "Russia's full-scale invasion of Ukraine (the teaser gives 'February 24' without a year)."),
    ("CIA-UKR-ZELENSKYY-PLOTS", "CIA", "UKR", "cooperation", "2022-01", "", "", ev("FIRSTPOST-2023-01-17", SEED_DEC),
     "CIA Director William Burns gave President Zelenskyy detailed intelligence in January 2022 that helped foil two Russian plots on his life (Chris Whipple's book)."),
    ("RUS-ZELENSKYY-PLOTS", "RUS", "ZELENSKYY", "dispute", "2022", "", "true", ev(SEED_DEC, "FIRSTPOST-2023-01-17"),
     "Two Russian plots against the life of President Zelenskyy in the early stages of the war, foiled with CIA information."),
    # --- Belgium ---
    ("VSSE-FBI-BUSH-PLOT", "VSSE", "FBI", "cooperation", "2021", "", "", ev("VOB-2022", "VRT-2022-09-17", SEED_DEC),
     "A tip from Belgian State Security helped the FBI foil a plot by Iraqi nationals to kill former president George W. Bush; the tip was given in 2021 (Voice of Brussels) and the plot foiled in 2022 (VRT)."),
    # --- Denmark and the United States ---
    ("DDIS-NSA-SIGINT", "DDIS", "NSA", "cooperation", "2008", "", "", ev("INTELNEWS-2021-06-01", SEED_DEC),
     "Secret signals-intelligence collaboration on Danish fibre-optic cables, under which Denmark enabled the US to spy on European allies; first reported in November 2020, the agreement dated to 2008."),
    # --- Japan and the Five Eyes ---
    ("JPN-FIVE-EYES-HOPES", "JPN", "FIVE_EYES", "cooperation", "2021-04-21", "", "true", ev("TIMES-2021-04-21", SEED_DEC),
     "Ambassador Shingo Yamagami hopes Japan will join the Five Eyes 'in the near future' and says it is building blocks with their intelligence communities. Dated from his interview."),
    # --- Honduras ---
    ("USA-HND-MOU", "USA", "HND", "cooperation", "2020-12-02", "", "", ev("REUTERS-2020-12-02", "INTELNEWS-2020-12-03", SEED_DEC),
     "Proposed memorandum of understanding to share sensitive intelligence on drug flights with Honduras; not yet finalised, and some in the US intelligence community fear leaks to the cartels. Dated from the first report."),
    # --- Founding facts: Five Eyes (UKUSA) and NATO ---
    ("USA-FIVE-EYES", "USA", "FIVE_EYES", "membership", "1946-03-05", "", "", ev("RECORD-UKUSA-1946"), "Signatory of the UKUSA agreement."),
    ("GBR-FIVE-EYES", "GBR", "FIVE_EYES", "membership", "1946-03-05", "", "", ev("RECORD-UKUSA-1946"), "Signatory of the UKUSA agreement."),
    ("CAN-FIVE-EYES", "CAN", "FIVE_EYES", "membership", "1948", "", "", ev("RECORD-UKUSA-CAN-1948"), "Joined the UKUSA arrangements in 1948."),
    ("AUS-FIVE-EYES", "AUS", "FIVE_EYES", "membership", "1956", "", "", ev("RECORD-UKUSA-AUS-NZL-1956"), "Joined the UKUSA arrangements in 1956."),
    ("NZL-FIVE-EYES", "NZL", "FIVE_EYES", "membership", "1956", "", "", ev("RECORD-UKUSA-AUS-NZL-1956"), "Joined the UKUSA arrangements in 1956."),
    ("USA-NATO", "USA", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
    ("GBR-NATO", "GBR", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
    ("CAN-NATO", "CAN", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
    ("DNK-NATO", "DNK", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
    ("NLD-NATO", "NLD", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
    ("BEL-NATO", "BEL", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "Founding member of NATO."),
]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    write("data/actors.csv", ["id", "name", "kind", "parent", "aliases"], ACTORS)
    write("data/sources.csv", ["id", "title", "publisher", "published", "url", "reliability"], SOURCES)
    write("data/relations.csv", ["id", "source", "target", "kind", "start", "end", "directed", "evidence", "summary"], RELATIONS)

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
    # Claimants named by the cited sources (the seed articles name Petro, Benedetti, Lemus and
    # Yamagami; NL Times names the two Dutch directors, Firstpost the book's author).
    ("AKERBOOM", "Erik Akerboom", "person", "AIVD", "Director-General of the AIVD"),
    ("REESINK", "Peter Reesink", "person", "MIVD", "Director of the MIVD"),
    ("WHIPPLE", "Chris Whipple", "person", "", "Author of The Fight of His Life: Inside Joe Biden's White House"),
    # The article speaks of "European and Canadian NATO staff" and names no European country:
    # one actor stands for the European allies' staff, without making any government a party.
    ("EUROPE_NATO", "European NATO allies", "organisation", "", "European NATO staff;European NATO members"),
]

SEED_DEC = "INTELNEWS-2025-12-01"
SEED_NOV = "LAREPORT-2025-11-12"
SEED_JAN = "INTELNEWS-2026-01-26"

SOURCES = [
    # id, title, publisher, published, url, reliability (NATO Admiralty A-F, the curator's
    # grade of the outlet, not of any one claim: README "The curated dataset in data/").
    (SEED_DEC, "Colombian spy chief claims intelligence-sharing with CIA continues despite dispute (with related-article teasers)", "intelNews.org (Joseph Fitsanakis)", "2025-12-01", "", "B"),
    (SEED_NOV, "Colombia Suspends Intelligence Cooperation with U.S. Over Caribbean Strikes, Says President Petro", "LA Report", "2025-11-12", "", "C"),
    (SEED_JAN, "Intelligence tensions rock NATO as Danish government issues espionage advisory", "intelNews.org (Joseph Fitsanakis)", "2026-01-26", "", "B"),
    ("NLTIMES-2025-10-18", "Dutch intelligence services cut back on sharing information with U.S. (joint interview with de Volkskrant)", "NL Times", "2025-10-18", "https://nltimes.nl/2025/10/18/dutch-intelligence-services-cut-back-sharing-information-us", "B"),
    ("FIRSTPOST-2023-01-17", "CIA chief secretly met Zelenskyy in Ukraine before Russian invasion to reveal Putin's plan to kill him, says book", "Firstpost", "2023-01-17", "https://www.firstpost.com/world/cia-chief-secretly-met-zelenskyy-in-ukraine-before-russian-invasion-to-reveal-putins-plan-to-kill-him-says-book-12002892.html", "C"),
    ("VRT-2022-09-17", "Un complot visant à assassiner l'ancien président George W. Bush", "VRT NWS", "2022-09-17", "https://www.vrt.be/vrtnws/fr/2022/09/17/un-complot-visant-a-assassiner-l-ancien-president-george-w-bush/", "B"),
    ("VOB-2022", "Belgian intelligence prevented an attack on ex-US President Bush", "Voice of Brussels", "2022", "https://www.voiceofbrussels.com/post/belgian-intelligence-prevented-an-attack-on-ex-us-president-bush", "F"),
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
    # id, source, target, kind, start, end, directed, evidence, claimant, credibility, summary
    #
    # claimant: the actor whose statement or order the relation rests on, empty when the
    # sources name none (an unnamed source, a public record, the outlet's own analysis).
    # credibility: NATO Admiralty 1-6, graded as README "The curated dataset in data/" says:
    # 1 a public record or an actor's own public act reported by two sources or more;
    # 2 a named official on record, or a specific fact from one report, consistent with the rest;
    # 3 an unnamed source, a book's claim, or the outlet's own inference;
    # 5 a proposal the source itself says is not yet in force; 6 a hope.
    # --- Colombia and the United States, 2025 ---
    ("COL-USA-PLAN-COLOMBIA", "COL", "USA", "cooperation", "2000", "", "", ev("RECORD-PLAN-COLOMBIA-2000", SEED_NOV), "", "1",
     "Long-standing counternarcotics and intelligence cooperation, dated from Plan Colombia (2000). The reports of its suspension on 11 Nov 2025 attest that it was in force until then; whether it then stopped is what the sources dispute."),
    ("USA-PETRO-SANCTIONS", "WHITE_HOUSE", "PETRO", "dispute", "2025-10", "", "true", ev(SEED_DEC), "WHITE_HOUSE", "2",
     "'Two weeks earlier' than 11 Nov 2025 the White House accused President Petro of taking part in the illicit drug trade and imposed sanctions on him and his immediate family. The article gives no exact day, so only the month."),
    ("COL-USA-CARIBBEAN-DISPUTE", "COL", "USA", "dispute", "2025-10", "", "", ev(SEED_NOV, SEED_DEC), "PETRO", "1",
     "Political dispute over US strikes on boats in the Caribbean: 'In October' Petro accused the US of using the fight against drug trafficking as a pretext, and called the strikes 'absurdly illegal'."),
    ("COL-USA-SUSPENSION", "COL", "USA", "restriction", "2025-11-11", "", "", ev(SEED_NOV, SEED_DEC), "PETRO", "1",
     "On 11 November President Petro orders Colombia's intelligence agencies to 'suspend intelligence sharing with US intelligence agencies' until the US stops its strikes on boats in the Caribbean. Announced on X (LA Report); both articles report the order."),
    ("COL-USA-BENEDETTI", "COL", "USA", "cooperation", "2025-11-13", "", "", ev(SEED_DEC), "BENEDETTI", "2",
     "Interior Minister Armando Benedetti says, on 13 November, that reports of a breakdown were 'a misunderstanding' and that Colombia will 'continue working […] against drug trafficking and crime with the United States'."),
    ("DNI-CIA-LEMUS", "DNI", "CIA", "cooperation", "2025-12-01", "", "", ev(SEED_DEC), "LEMUS", "2",
     "DNI director Jorge Lemus tells AFP that the relationship with the CIA was not disrupted: 'We continue exactly as before […] not only with the CIA, but with all agencies'. Dated from this report; the day of the interview is not given."),
    ("GBR-USA-CARIBBEAN-PAUSE", "GBR", "USA", "restriction", "2025-11-12", "", "", ev(SEED_NOV), "", "3",
     "The UK paused sharing intelligence on suspicious ship movements in the Caribbean with the US (The Times, citing an unnamed source). Dated from this report; the start of the pause is not given."),
    # --- The Netherlands ---
    ("AIVD-USA-RESTRICTION", "AIVD", "USA", "restriction", "2025-10-18", "", "", ev("NLTIMES-2025-10-18", SEED_DEC), "AKERBOOM", "2",
     "The AIVD shares less with its US counterparts (CIA, NSA) over political developments in Washington: 'Sometimes you have to think case by case: can I still share this information or not?', its director-general Erik Akerboom said in a joint interview with de Volkskrant. Dated from that confirmation; it began earlier."),
    ("MIVD-USA-RESTRICTION", "MIVD", "USA", "restriction", "2025-10-18", "", "", ev("NLTIMES-2025-10-18", SEED_DEC), "REESINK", "2",
     "The MIVD shares less with its US counterparts: 'That we sometimes no longer tell certain things, that's true', its director Peter Reesink said in the joint interview with de Volkskrant. Dated from that confirmation; it began earlier."),
    # --- NATO, Greenland and the Danish advisories, January 2026 ---
    ("DNK-USA-GREENLAND", "DNK", "USA", "dispute", "2026-01-26", "", "", ev(SEED_JAN), "", "2",
     "The 'current dispute between the US and Europe over Greenland' is 'creating tensions and distrust between European and US colleagues in NATO' (an unnamed senior NATO insider). Denmark, of which Greenland is part, stands for the European side. Dated from this report; the dispute began earlier."),
    ("CAN-USA-NATO-RETICENCE", "CAN", "USA", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "", "3",
     "Canadian NATO staff are 'not talking openly' with their US counterparts, fearing that information will reach President Trump (an unnamed senior NATO insider, cited by an unnamed British outlet). The European staff's reticence is EUROPE-USA-NATO-RETICENCE. Dated from this report."),
    ("EUROPE-USA-NATO-RETICENCE", "EUROPE_NATO", "USA", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "", "3",
     "European NATO staff are 'not talking openly' with their US counterparts, fearing that information will reach President Trump (an unnamed senior NATO insider, cited by an unnamed British outlet). The article names no European country, so one actor stands for the European allies' staff: no government is made a party, and no national agency's cooperation with the US is contested by it. Dated from this report."),
    ("PENTAGON-NATO-SCALE-BACK", "PENTAGON", "NATO", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "WHITE_HOUSE", "3",
     "Reports from the US 'suggest' that the White House has ordered the Pentagon to 'scale back' its participation in NATO's force structure and several transnational advisory groups. Dated from this report."),
    ("DNK-ADVISORY-BLUETOOTH", "DNK", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "DNK", "2",
     "The Danish government advises military and civilian officials to disable Bluetooth on government and personal devices, reportedly over intensified foreign surveillance; the foreign power is not named. Dated from this report."),
    ("DDIS-ADVISORY-BLUETOOTH", "DDIS", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "DDIS", "2",
     "The DDIS advises military personnel across Denmark and Greenland to deactivate all Bluetooth functions. Dated from this report."),
    ("DNPOL-ADVISORY-BLUETOOTH", "DNPOL", "FOREIGN_SURVEILLANCE", "restriction", "2026-01-26", "", "", ev(SEED_JAN), "DNPOL", "2",
     "The Danish National Police IT department tells personnel to keep Bluetooth off 'until further notice': headsets could be entry points for eavesdropping. Dated from this report."),
    # --- GSOMIA ---
    ("JPN-GSOMIA", "JPN", "GSOMIA", "membership", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC), "", "1",
     "Party to GSOMIA, signed on 23 Nov 2016 ('initiated in 2016 under American tutelage')."),
    ("KOR-GSOMIA", "KOR", "GSOMIA", "membership", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC), "", "1",
     "Party to GSOMIA, signed on 23 Nov 2016 ('initiated in 2016 under American tutelage')."),
    ("JPN-KOR-GSOMIA-SHARING", "JPN", "KOR", "cooperation", "2016-11-23", "", "", ev("RECORD-GSOMIA-2016", SEED_DEC), "", "1",
     "Sharing of intelligence on North Korea's missile and nuclear programmes under GSOMIA, from its signature on 23 Nov 2016."),
    ("KOR-JPN-GSOMIA-NOTICE", "KOR", "JPN", "dispute", "2019-08-22", "2019-11-22", "true", ev("RECORD-GSOMIA-2019-08-22", "RECORD-GSOMIA-2019-11-22"), "KOR", "1",
     "South Korea gives notice on 22 Aug 2019 that it will terminate GSOMIA; the notice is suspended on 22 Nov 2019, the day before it would have taken effect. Sharing went on meanwhile, so this is a dispute, not a restriction."),
    ("KOR-JPN-GSOMIA-CRISIS", "KOR", "JPN", "dispute", "2019-11", "2023-03", "", ev(SEED_DEC, "RECORD-GSOMIA-2023-03"), "KOR", "2",
     "'In November of 2019, the South Korean government threatened to terminate' GSOMIA; the spat lasted until the agreement was fully normalised in March 2023."),
    ("USA-JPN-CHIEFS-2021", "USA", "JPN", "cooperation", "2021", "2021", "", ev(SEED_DEC), "", "2",
     "A one-off: the intelligence chiefs of the US, Japan and South Korea 'are to meet behind closed doors this week', 'nearly two years after' the November 2019 spat. The year is inferred from that; the meeting is possible at some point in 2021, never active."),
    ("USA-KOR-CHIEFS-2021", "USA", "KOR", "cooperation", "2021", "2021", "", ev(SEED_DEC), "", "2",
     "A one-off: the intelligence chiefs of the US, Japan and South Korea 'are to meet behind closed doors this week', 'nearly two years after' the November 2019 spat. The year is inferred from that; the meeting is possible at some point in 2021, never active."),
    ("JPN-KOR-CHIEFS-2021", "JPN", "KOR", "cooperation", "2021", "2021", "", ev(SEED_DEC), "", "2",
     "A one-off: the trilateral meeting of intelligence chiefs with the US, 'nearly two years after' the November 2019 spat that 'threatened to significantly harm intelligence cooperation' between Japan and South Korea. The year is inferred from that; possible at some point in 2021, never active."),
    # --- India ---
    ("USA-IND-2002", "USA", "IND", "cooperation", "2002", "", "", ev("INTELNEWS-2020-12-23"), "", "2",
     "US-Indian intelligence cooperation 'has its roots in 2002, when the military forces of the two nations formalized intelligence-sharing systems on matters of regional security'."),
    ("USA-IND-2020", "USA", "IND", "cooperation", "2020-10", "", "", ev("INTELNEWS-2020-12-23", SEED_DEC), "", "2",
     "Intelligence cooperation 'reached historic levels in the closing months of 2020', marked by the BECA agreement, 'signed by Washington and New Delhi in October of this year', and driven by mutual distrust of China."),
    ("IND-CHN-BORDER-2020", "IND", "CHN", "dispute", "2020", "2020", "", ev("INTELNEWS-2020-12-23"), "", "2",
     "A bounded episode: the 'bloody border dispute in the Himalayan region' between India and China in 2020, which 'lasted for over a month'; it drove India to deepen intelligence sharing with the US. Possible at some point in 2020, never active."),
    ("USA-CHN-DISTRUST-2020", "USA", "CHN", "dispute", "2020-12-23", "", "true", ev("INTELNEWS-2020-12-23", SEED_DEC), "", "3",
     "The United States' distrust of China: the outlet explains the US-Indian cooperation of late 2020 by 'the two countries' mutual distrust of China', the distrust that the US and India share of China, so it runs from the US to China (nothing is said of China's view). It gives the distrust no start, so it is dated from this report."),
    # --- Ukraine and Russia ---
    ("USA-UKR-SINCE-2014", "USA", "UKR", "cooperation", "2014", "", "", ev(SEED_DEC), "", "2",
     "Ukraine's close intelligence relationship with the US 'has grown dramatically in depth and intensity since Russia's annexation of Crimea in 2014', according to a report the teaser does not name."),
    ("RUS-UKR-CRIMEA", "RUS", "UKR", "dispute", "2014-03-18", "", "true", ev("CRS-2014-05-20", SEED_DEC), "", "1",
     "Russia annexes Crimea on 18 March 2014."),
    ("RUS-UKR-INVASION", "RUS", "UKR", "dispute", "2022-02-24", "", "true", ev("RECORD-INVASION-2022", SEED_DEC), "", "1",
     "Russia's full-scale invasion of Ukraine (the teaser gives 'February 24' without a year)."),
    ("CIA-UKR-ZELENSKYY-PLOTS", "CIA", "UKR", "cooperation", "2022-01", "2022-01", "", ev("FIRSTPOST-2023-01-17", SEED_DEC), "WHIPPLE", "3",
     "A one-off: in January 2022 CIA Director William Burns, on a secret trip to Kyiv, gave President Zelenskyy intelligence 'so detailed that it would help Zelenskyy's security forces thwart two separate Russian attempts on his life' (Chris Whipple's book). Possible in January 2022, never active."),
    ("RUS-ZELENSKYY-PLOTS", "RUS", "ZELENSKYY", "dispute", "2022", "2022", "true", ev(SEED_DEC, "FIRSTPOST-2023-01-17"), "WHIPPLE", "3",
     "Two Russian plots against the life of President Zelenskyy 'in the crucial early stages' of the war, foiled with CIA information (Chris Whipple's book). The plots are dated only to 2022: possible at some point in 2022, never active."),
    # --- Belgium ---
    ("VSSE-FBI-BUSH-PLOT", "VSSE", "FBI", "cooperation", "2021", "2021", "", ev("VOB-2022", "VRT-2022-09-17", SEED_DEC), "", "3",
     "A one-off: a tip from Belgian State Security helped the FBI foil a plot by Iraqi nationals to kill former president George W. Bush. Voice of Brussels (2022) says the VSSE informed the US 'last year', so the tip is dated 2021: possible at some point in 2021, never active. VRT's report rests on an unnamed source, and the VSSE did not confirm it."),
    # --- Denmark and the United States ---
    ("DDIS-NSA-SIGINT", "DDIS", "NSA", "cooperation", "2008", "", "", ev("INTELNEWS-2021-06-01", SEED_DEC), "", "2",
     "Secret signals-intelligence collaboration on fibre-optic cables through Denmark, under which 'Denmark enabled the US to spy on some of its closest European allies'. First reported in November 2020; 'according to Danish newspaper Jyllands-Posten and Danmarks Radio […] the agreement dated to 2008' (intelNews, 1 June 2021)."),
    # --- Japan and the Five Eyes: a hope, not cooperation ---
    ("JPN-FIVE-EYES-HOPES", "JPN", "FIVE_EYES", "cooperation", "2021-04", "2021-04", "true", ev("TIMES-2021-04-21", SEED_DEC), "YAMAGAMI", "6",
     "Not a record of cooperation: Ambassador Shingo Yamagami's hope that Japan will join the Five Eyes ('We would like to see this idea become reality in the near future'), reported on 21 April 2021. Kept as a one-off in the month of that report, graded 6 (cannot be judged: a hope says nothing of what was shared), so that it stays in Japan's record; possible in April 2021, never active."),
    # --- Honduras: a proposal, not cooperation ---
    ("USA-HND-MOU", "USA", "HND", "cooperation", "2020-12", "2020-12", "", ev("REUTERS-2020-12-02", "INTELNEWS-2020-12-03", SEED_DEC), "", "5",
     "Not a record of cooperation: a proposed memorandum of understanding to share sensitive intelligence on drug flights with Honduras, which 'has yet to be finalized' (unnamed US officials to Reuters, 2 Dec 2020); some in the US intelligence community fear leaks to the cartels. Kept as a one-off in the month of that report, graded 5 (improbable: the source says the sharing had not begun); possible in December 2020, never active."),
    # --- Founding facts: Five Eyes (UKUSA) and NATO ---
    ("USA-FIVE-EYES", "USA", "FIVE_EYES", "membership", "1946-03-05", "", "", ev("RECORD-UKUSA-1946"), "", "1", "Signatory of the UKUSA agreement."),
    ("GBR-FIVE-EYES", "GBR", "FIVE_EYES", "membership", "1946-03-05", "", "", ev("RECORD-UKUSA-1946"), "", "1", "Signatory of the UKUSA agreement."),
    ("CAN-FIVE-EYES", "CAN", "FIVE_EYES", "membership", "1948", "", "", ev("RECORD-UKUSA-CAN-1948"), "", "1", "Joined the UKUSA arrangements in 1948."),
    ("AUS-FIVE-EYES", "AUS", "FIVE_EYES", "membership", "1956", "", "", ev("RECORD-UKUSA-AUS-NZL-1956"), "", "1", "Joined the UKUSA arrangements in 1956."),
    ("NZL-FIVE-EYES", "NZL", "FIVE_EYES", "membership", "1956", "", "", ev("RECORD-UKUSA-AUS-NZL-1956"), "", "1", "Joined the UKUSA arrangements in 1956."),
    ("USA-NATO", "USA", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("GBR-NATO", "GBR", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("CAN-NATO", "CAN", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("DNK-NATO", "DNK", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("NLD-NATO", "NLD", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("BEL-NATO", "BEL", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949"), "", "1", "Founding member of NATO: signed the North Atlantic Treaty on 4 April 1949."),
    ("EUROPE-NATO", "EUROPE_NATO", "NATO", "membership", "1949-04-04", "", "", ev("RECORD-NATO-1949", SEED_JAN), "", "1",
     "The European allies taken as one actor (EUROPE_NATO, which stands for the 'European' NATO staff of the January 2026 article): European states have been NATO members since they signed the North Atlantic Treaty on 4 April 1949, so their staff's reticence is a fracture within NATO."),
]

def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    write("data/actors.csv", ["id", "name", "kind", "parent", "aliases"], ACTORS)
    write("data/sources.csv", ["id", "title", "publisher", "published", "url", "reliability"], SOURCES)
    write("data/relations.csv", ["id", "source", "target", "kind", "start", "end", "directed", "evidence", "claimant", "credibility", "summary"], RELATIONS)

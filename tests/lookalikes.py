"""Look-alike events, written for tagwire's tests: pairs of events of one kind on one day (two
shootings, two earthquakes, two factory fires, two bus crashes), each told by two outlets in
their own words. The words of the kind (gunman, magnitude, blaze) are shared by all four reports
of a pair; only the names, places and numbers tell the events apart. Every name is invented."""

from __future__ import annotations

from typing import NamedTuple


class Report(NamedTuple):
    event: str
    outlet: str
    title: str
    text: str


REPORTS = [
    # two shootings on one day
    Report(
        "shooting-dorran",
        "Northern Ledger",
        "Gunman kills four at Dorran shopping centre",
        "A gunman opened fire inside the Halvik Arcade shopping centre in Dorran on Saturday afternoon, "
        "killing four people and wounding nine before police shot him dead, officials said. Dorran police "
        "chief Lena Ostrova said the suspect, a 34-year-old man named as Piet Karsk, entered through the "
        "east entrance carrying a rifle. Shoppers hid in stores for almost an hour. The wounded were taken "
        "to St. Aldric Hospital, where three remain in critical condition. Mayor Tomas Wender called it the "
        "darkest day in the city's history and ordered flags lowered.",
    ),
    Report(
        "shooting-dorran",
        "Coastal Post",
        "Four dead, nine hurt in Halvik Arcade attack",
        "Four people were killed and nine injured when a man with a rifle attacked shoppers at the Halvik "
        "Arcade in Dorran, police said. Chief Lena Ostrova told reporters the attacker, Piet Karsk, 34, was "
        "killed by officers about twenty minutes after the first shots. Witnesses described panic as "
        "families ran for the exits. St. Aldric Hospital said three of the wounded were in critical "
        "condition. Mayor Tomas Wender asked residents to donate blood.",
    ),
    Report(
        "shooting-pellsworth",
        "Northern Ledger",
        "Two students killed in Pellsworth school shooting",
        "Two students were shot dead and five wounded at Brannock High School in Pellsworth on Saturday "
        "morning during a basketball tournament, police said. A 17-year-old student was arrested at the "
        "scene, according to Sheriff Odile Marchetti, who said a handgun had been recovered. Parents "
        "gathered outside the gym as officers searched the building. Governor Ruth Caldane said she was "
        "heartbroken and promised state support for the school district. Classes are cancelled until "
        "Wednesday.",
    ),
    Report(
        "shooting-pellsworth",
        "Coastal Post",
        "Teen arrested after deadly shooting at Brannock High",
        "A 17-year-old was in custody after a shooting at Brannock High School in Pellsworth left two "
        "students dead and five others wounded, Sheriff Odile Marchetti said. The gunfire broke out in the "
        "gym during a weekend basketball tournament. Police recovered a handgun. Governor Ruth Caldane "
        "offered condolences and said counsellors would be sent to the school, which will stay closed "
        "until Wednesday.",
    ),
    # two earthquakes on one day
    Report(
        "quake-kestany",
        "Northern Ledger",
        "Magnitude 6.4 earthquake strikes off Kestany coast",
        "A magnitude 6.4 earthquake struck off the coast of Kestany early on Saturday, shaking buildings in "
        "the port city of Mirrow and cutting power to 80,000 homes, the national seismology institute said. "
        "The quake hit at a depth of 22 kilometres. At least 11 people were injured by falling debris. "
        "Authorities briefly issued a tsunami warning for the Orsa peninsula before lifting it. Prime "
        "Minister Aurel Danko said rescue teams had been sent to Mirrow.",
    ),
    Report(
        "quake-kestany",
        "Coastal Post",
        "Strong quake rattles Mirrow, 11 injured",
        "Eleven people were hurt and tens of thousands lost power when a 6.4-magnitude earthquake hit off "
        "Kestany on Saturday, centred 22 km below the seabed near Mirrow. A tsunami alert for the Orsa "
        "peninsula was lifted after an hour. Prime Minister Aurel Danko said some 80,000 homes were without "
        "electricity and that rescue teams were checking damaged buildings in the old harbour district.",
    ),
    Report(
        "quake-varos",
        "Northern Ledger",
        "Earthquake of magnitude 5.8 hits Varos highlands",
        "A magnitude 5.8 earthquake shook the Varos highlands on Saturday evening, damaging dozens of old "
        "stone houses in the village of Tellick and triggering landslides that blocked the main mountain "
        "road, officials said. The quake struck at a depth of 9 kilometres. Two people died when a wall "
        "collapsed in Tellick. Interior Minister Sabin Horak said 300 people would spend the night in "
        "tents set up by the Red Crescent.",
    ),
    Report(
        "quake-varos",
        "Coastal Post",
        "Two dead as 5.8 quake triggers landslides near Tellick",
        "Two people were killed in Tellick when a 5.8-magnitude earthquake hit the Varos highlands, "
        "Interior Minister Sabin Horak said. The shallow quake, 9 km deep, set off landslides that cut the "
        "mountain road, and about 300 villagers whose houses cracked were moved into tents. Seismologists "
        "warned that aftershocks were likely over the next days.",
    ),
    # two factory fires on one day
    Report(
        "fire-quill",
        "Northern Ledger",
        "Fire destroys Quillmark paint factory in Sevran",
        "A fire destroyed the Quillmark paint factory in the industrial district of Sevran on Saturday, "
        "sending a column of black smoke over the city. Fire chief Marta Ellison said 120 firefighters "
        "fought the blaze for six hours. Three workers were treated for smoke inhalation. Residents of the "
        "Lower Fenn neighbourhood were told to keep windows closed. Quillmark chief executive Rolf Benning "
        "said the 230 employees would keep being paid.",
    ),
    Report(
        "fire-quill",
        "Coastal Post",
        "Black smoke over Sevran as Quillmark plant burns",
        "The Quillmark paint plant in Sevran burned for six hours on Saturday as 120 firefighters battled "
        "the flames, fire chief Marta Ellison said. Three workers needed treatment for smoke inhalation, "
        "and people in Lower Fenn were asked to stay indoors. Rolf Benning, Quillmark's chief executive, "
        "promised to keep paying the 230 staff while the company looks for a new site.",
    ),
    Report(
        "fire-ostby",
        "Northern Ledger",
        "Blaze at Ostby sawmill forces evacuation of nearby homes",
        "A fire broke out at the Greyhollow sawmill in Ostby on Saturday night, forcing the evacuation of "
        "about 40 nearby homes as flames spread to stacks of timber, firefighters said. Nobody was hurt. "
        "Incident commander Yusuf Karlberg said crews from four towns were called in and the fire was under "
        "control by dawn. The mill's owner, Hedda Lunne, said the cause was not yet known.",
    ),
    Report(
        "fire-ostby",
        "Coastal Post",
        "Greyhollow sawmill fire in Ostby brought under control",
        "Firefighters from four towns brought a fire at the Greyhollow sawmill in Ostby under control early "
        "on Sunday after residents of some 40 houses were evacuated overnight, incident commander Yusuf "
        "Karlberg said. No injuries were reported. Owner Hedda Lunne said timber stacks caught fire first "
        "and that the cause was under investigation.",
    ),
]

URL_FIRST = Report(
    "shooting-dorran",
    "Aggregator Weekly",
    "Dorran shopping centre attack: what we know",
    "https://aggregator.example/news/2025/06/07/dorran-halvik-arcade-shooting?ref=home\n\n"
    "Four people died and nine were wounded when Piet Karsk, 34, opened fire at the Halvik Arcade in "
    "Dorran, according to police chief Lena Ostrova. Officers shot the attacker. Three of the wounded are "
    "in critical condition at St. Aldric Hospital, and Mayor Tomas Wender ordered flags lowered.",
)

SHORT = [
    Report("quake-kestany", "Flash Wire", "Quake 6.4 off Kestany, Mirrow shaken", "Magnitude 6.4, Mirrow."),
    Report(
        "quake-varos", "Flash Wire", "Quake 5.8 in Varos highlands, two dead in Tellick", "Tellick: 2 dead."
    ),
]


def long_report() -> Report:
    """A very long report of the Pellsworth shooting: its own account followed by many paragraphs
    of background, some 6,000 words in all."""
    background = (
        "The school district of Pellsworth has debated security for years. Board members discussed "
        "metal detectors, more counsellors and a new visitor policy at meetings open to parents, and "
        "the debate returned after every incident elsewhere in the state. "
    )
    return Report(
        "shooting-pellsworth",
        "Long Read Review",
        "Inside the morning Brannock High changed",
        "Sheriff Odile Marchetti said the 17-year-old arrested after the Brannock High School shooting in "
        "Pellsworth, which killed two students and wounded five, carried a handgun into the gym during "
        "the basketball tournament. Governor Ruth Caldane visited the families.\n\n"
        + "\n\n".join(background * 3 for _ in range(50)),
    )

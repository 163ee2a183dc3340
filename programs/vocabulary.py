"""The catalogue's controlled vocabulary, and how SAMHSA locator names map onto it.

Plain data with no Django imports. Labels are marked for translation with a
no-op marker here and translated where they are shown. SAMHSA names come from
../shared/domain.md ("SAMHSA vocabulary") and the locator export in
../shared/data/samhsa-locator-ca-sample.csv.
"""


def _(text: str) -> str:
    """Marks a label for translation (gettext_noop); translated where shown."""
    return text


LEVELS_OF_CARE = {
    "php": {
        "label": _("Partial hospitalization (PHP)"),
        "samhsa": [
            "Outpatient day treatment or partial hospitalization",
            "Partial hospitalization program (mental health)",
        ],
    },
    "iop": {
        "label": _("Intensive outpatient (IOP)"),
        "samhsa": ["Intensive outpatient treatment"],
    },
    "outpatient": {
        "label": _("Standard outpatient"),
        "samhsa": ["Regular outpatient treatment"],
    },
    # Care above PHP: read from the National Directory's setting codes only
    # (programs/samhsa_files.py), searched only when asked for.
    "residential": {"label": _("Residential"), "samhsa": []},
    "inpatient": {"label": _("Hospital inpatient"), "samhsa": []},
    "detox": {"label": _("Medically supervised detox"), "samhsa": []},
}

FOCUS = {
    "substance_use": _("Substance use"),
    "mental_health": _("Mental health"),
    "co_occurring": _("Both (co-occurring)"),
}
# A special group for them, or (National Directory, code SUMH) treatment for both.
SAMHSA_CO_OCCURRING = {
    "Clients with co-occurring mental and substance use disorders",
    "Treatment for co-occurring substance use plus either serious mental health illness in "
    "adults/serious emotional disturbance in children",
}
SAMHSA_SUBSTANCE_USE = "Substance use treatment"
SAMHSA_MENTAL_HEALTH = "Mental health services"

FORMATS = {
    "in_person": _("In person"),
    "telehealth": _("Telehealth"),
    "both": _("In person and telehealth"),
}
SAMHSA_TELEHEALTH = "Telemedicine/telehealth therapy"

TIMES_OF_DAY = {
    "morning": _("Mornings"),
    "afternoon": _("Afternoons"),
    "evening": _("Evenings"),
    "weekend": _("Weekends"),
}

# How a person starts a program (Program.intake_process); blank means not known.
INTAKE_PROCESSES = {
    "walk_in": _("Walk in: no appointment needed"),
    "phone_assessment": _("Phone assessment first"),
    "referral": _("Referral needed"),
}

# Slugs are the public search contract (issue "Patient search", `payment`).
PAYMENT_KINDS = {
    "medicaid": {"label": _("Medicaid"), "samhsa": ["Medicaid"]},
    "medicare": {"label": _("Medicare"), "samhsa": ["Medicare"]},
    "private_insurance": {
        "label": _("Private insurance"),
        "samhsa": ["Private health insurance"],
    },
    "military": {
        "label": _("Military insurance (TRICARE)"),
        "samhsa": ["Federal military insurance (e.g., TRICARE)"],
    },
    "state_financed": {
        "label": _("State-financed plan (not Medicaid)"),
        "samhsa": ["State-financed health insurance plan other than Medicaid"],
    },
    "ihs_tribal": {
        "label": _("IHS / Tribal / Urban funds"),
        "samhsa": ["IHS/Tribal/Urban (ITU) funds"],
    },
    "self_pay": {"label": _("Self-pay (cash)"), "samhsa": ["Cash or self-payment"]},
    "sliding_scale": {
        "label": _("Sliding fee scale"),
        "samhsa": ["Sliding fee scale (fee is based on income and other factors)"],
    },
    "payment_assistance": {
        "label": _("Payment assistance"),
        "samhsa": ["Payment assistance (check with facility for details)"],
    },
    "free": {"label": _("Free of charge"), "samhsa": ["No payment accepted"]},
}

# Named private insurers a curator can attach to a program (the locator names none).
INSURERS = {
    "aetna": _("Aetna"),
    "anthem": _("Anthem Blue Cross"),
    "blue_shield": _("Blue Shield"),
    "cigna": _("Cigna"),
    "humana": _("Humana"),
    "kaiser": _("Kaiser Permanente"),
    "magellan": _("Magellan Health"),
    "optum": _("Optum"),
    "tricare": _("TRICARE"),
    "united": _("UnitedHealthcare"),
}

# Services (001-004 seeds) and medications for addiction treatment (the locator's filters).
SERVICES = {
    "individual_counseling": {
        "label": _("Individual counseling"),
        "samhsa": ["Individual counseling", "Individual psychotherapy"],
    },
    "group_therapy": {"label": _("Group therapy"), "samhsa": ["Group counseling", "Group therapy"]},
    "family_therapy": {
        "label": _("Family therapy"),
        "samhsa": ["Family counseling", "Marital/couples counseling", "Couples/family therapy"],
    },
    "education": {
        "label": _("Education sessions"),
        "samhsa": ["Substance use disorder education"],
    },
    "drug_testing": {
        "label": _("Drug testing"),
        "samhsa": [
            "Drug or alcohol urine screening",
            "Drug and alcohol oral fluid testing",
            "Breathalyzer or blood alcohol testing",
        ],
    },
    "medication_management": {
        "label": _("Medication management"),
        "samhsa": ["Medication for mental disorders"],
    },
    "case_management": {
        "label": _("Case management"),
        "samhsa": ["Case management service"],
    },
    "cbt": {
        "label": _("Cognitive behavioral therapy (CBT)"),
        "samhsa": ["Cognitive behavioral therapy"],
    },
    "dbt": {
        "label": _("Dialectical behavior therapy (DBT)"),
        "samhsa": ["Dialectical behavior therapy"],
    },
    "trauma_informed": {
        "label": _("Trauma-informed care"),
        "samhsa": ["Trauma-related counseling"],
    },
    "relapse_prevention": {
        "label": _("Relapse prevention"),
        "samhsa": ["Relapse prevention"],
    },
    "life_skills": {
        "label": _("Life skills"),
        "samhsa": ["Social skills development"],
    },
    "aftercare": {
        "label": _("Aftercare and alumni"),
        "samhsa": ["Aftercare/continuing care"],
    },
    "peer_support": {
        "label": _("Peer support"),
        "samhsa": ["Mentoring/peer support", "Recovery coach"],
    },
    "buprenorphine": {
        "label": _("Buprenorphine"),
        "samhsa": ["Buprenorphine used in Treatment"],
    },
    "methadone": {"label": _("Methadone"), "samhsa": ["Methadone used in Treatment"]},
    "naltrexone": {"label": _("Naltrexone"), "samhsa": ["Naltrexone used in Treatment"]},
    "accepts_mat_clients": {
        "label": _("Accepts clients on medication for addiction treatment"),
        "samhsa": [
            "Accepts clients using MAT but prescribed elsewhere",
            "Accepts clients using medication assisted treatment for alcohol use disorder but"
            " prescribed elsewhere",
        ],
    },
    "opioid_treatment_program": {
        "label": _("Certified opioid treatment program (OTP)"),
        "samhsa": ["Federally-certified Opioid Treatment Program"],
    },
}
# The three FDA-approved medications for opioid use disorder, as SERVICES names them: a
# program page lists those offered on site among its signs of quality. Source: SAMHSA,
# TIP 63 "Medications for Opioid Use Disorder".
OPIOID_USE_DISORDER_MEDICATIONS = ("buprenorphine", "methadone", "naltrexone")

POPULATIONS = {
    "adults": {"label": _("Adults"), "samhsa": ["Adults"]},
    "adolescents": {
        "label": _("Adolescents"),
        "samhsa": ["Adolescents", "Children/Adolescents"],
    },
    "young_adults": {"label": _("Young adults"), "samhsa": ["Young adults", "Young Adults"]},
    "women": {"label": _("Women"), "samhsa": ["Adult women"]},
    "men": {"label": _("Men"), "samhsa": ["Adult men"]},
    "lgbtq": {
        "label": _("LGBTQ+"),
        "samhsa": ["Lesbian, gay, bisexual, transgender, or queer/questioning (LGBTQ)"],
    },
    "veterans": {"label": _("Veterans"), "samhsa": ["Veterans"]},
    "pregnant_postpartum": {
        "label": _("Pregnant or postpartum"),
        "samhsa": ["Pregnant/postpartum women"],
    },
    "seniors": {"label": _("Older adults"), "samhsa": ["Seniors or older adults", "Seniors"]},
    "trauma": {
        "label": _("People who have lived through trauma"),
        "samhsa": [
            "Clients who have experienced trauma",
            "Persons with post-traumatic stress disorder (PTSD)",
        ],
    },
    "domestic_violence": {
        "label": _("People who have lived through partner or domestic violence"),
        "samhsa": ["Clients who have experienced intimate partner violence, domestic violence"],
    },
    "justice_involved": {
        "label": _("People in the justice system"),
        "samhsa": ["Criminal justice (other than DUI/DWI)/Forensic clients"],
    },
    "military": {
        "label": _("Active duty military and military families"),
        "samhsa": ["Active duty military", "Members of military families"],
    },
}

LANGUAGES = {
    "english": {"label": _("English"), "samhsa": []},
    "spanish": {"label": _("Spanish"), "samhsa": ["Spanish"]},
    "asl": {
        "label": _("American Sign Language"),
        "samhsa": ["Sign language services for the deaf and hard of hearing"],
    },
    "chinese": {"label": _("Chinese"), "samhsa": ["Any Chinese Language"]},
    "tagalog": {"label": _("Tagalog"), "samhsa": ["Tagalog"]},
    "vietnamese": {"label": _("Vietnamese"), "samhsa": ["Vietnamese"]},
    "korean": {"label": _("Korean"), "samhsa": ["Korean"]},
    "russian": {"label": _("Russian"), "samhsa": ["Russian"]},
    "farsi": {"label": _("Farsi"), "samhsa": ["Farsi"]},
    "arabic": {"label": _("Arabic"), "samhsa": ["Arabic"]},
    # The other languages SAMHSA's National Directory names (codes F.. and N..).
    "american_indian": {
        "label": _("American Indian or Alaska Native languages"),
        "samhsa": ["American Indian or Alaska Native languages"],
    },
    "creole": {"label": _("Haitian Creole"), "samhsa": ["Creole"]},
    "french": {"label": _("French"), "samhsa": ["French"]},
    "german": {"label": _("German"), "samhsa": ["German"]},
    "greek": {"label": _("Greek"), "samhsa": ["Greek"]},
    "hebrew": {"label": _("Hebrew"), "samhsa": ["Hebrew"]},
    "hindi": {"label": _("Hindi"), "samhsa": ["Hindi"]},
    "hmong": {"label": _("Hmong"), "samhsa": ["Hmong"]},
    "italian": {"label": _("Italian"), "samhsa": ["Italian"]},
    "japanese": {"label": _("Japanese"), "samhsa": ["Japanese"]},
    "polish": {"label": _("Polish"), "samhsa": ["Polish"]},
    "portuguese": {"label": _("Portuguese"), "samhsa": ["Portuguese"]},
    "ojibwa": {"label": _("Ojibwe"), "samhsa": ["Ojibwa"]},
    "yupik": {"label": _("Yup'ik"), "samhsa": ["Yupik"]},
    "other_languages": {
        "label": _("Other languages"),
        "samhsa": ["Other languages (excluding Spanish)"],
    },
}

ACCREDITATIONS = {
    "joint_commission": {"label": _("The Joint Commission"), "samhsa": ["The Joint Commission"]},
    "carf": {
        "label": _("CARF"),
        "samhsa": ["Commission on Accreditation of Rehabilitation Facilities (CARF)"],
    },
    "coa": {
        "label": _("Council on Accreditation (COA)"),
        "samhsa": ["Council on Accreditation (COA)"],
    },
    "ncqa": {"label": _("NCQA"), "samhsa": ["National Committee for Quality Assurance (NCQA)"]},
}

# Facts SAMHSA's National Directory gives that a program page shows but the search does not
# filter on (Program.directory_facts): whom a facility accepts, and who licenses or
# certifies it (besides the accreditations above, which are a filter).
SEXES_SERVED = {
    "women": {"label": _("Women"), "samhsa": ["Female"]},
    "men": {"label": _("Men"), "samhsa": ["Male"]},
}
LICENSING = {
    "state_substance_use_agency": {
        "label": _("State substance use treatment agency"),
        "samhsa": ["State substance use treatment agency"],
    },
    "state_mental_health": {
        "label": _("State mental health department"),
        "samhsa": ["State mental health department"],
    },
    "state_health": {
        "label": _("State department of health"),
        "samhsa": ["State department of health"],
    },
    "hospital_licensing": {
        "label": _("Hospital licensing authority"),
        "samhsa": ["Hospital licensing authority"],
    },
    "otp_certified": {
        "label": _("SAMHSA-certified opioid treatment program"),
        "samhsa": ["SAMHSA certification for opioid treatment program (OTP)"],
    },
    "dea": {
        "label": _("Registered with the Drug Enforcement Administration (DEA)"),
        "samhsa": ["Drug Enforcement Agency (DEA)"],
    },
    "hfap": {
        "label": _("Healthcare Facilities Accreditation Program (HFAP)"),
        "samhsa": ["Healthcare Facilities Accreditation Program (HFAP)"],
    },
    "fqhc": {
        "label": _("Federally Qualified Health Center"),
        "samhsa": ["Federally Qualified Health Center"],
    },
    "mental_health_center": {
        "label": _("Mental health clinic or center"),
        "samhsa": ["Mental health clinic or mental health center"],
    },
}
DIRECTORY_FACTS = {"sex_served": SEXES_SERVED, "licensing": LICENSING}

# Every vocabulary that lives in a table, by model name: {slug: label or {"label", "samhsa"}}.
TABLES = {
    "PaymentKind": PAYMENT_KINDS,
    "Insurer": INSURERS,
    "Service": SERVICES,
    "Population": POPULATIONS,
    "Language": LANGUAGES,
    "Accreditation": ACCREDITATIONS,
}


def label_of(entry) -> str:
    return entry["label"] if isinstance(entry, dict) else entry


def samhsa_index(vocabulary: dict) -> dict[str, str]:
    """SAMHSA service name -> our slug, for one vocabulary."""
    return {
        name: slug
        for slug, entry in vocabulary.items()
        if isinstance(entry, dict)
        for name in entry.get("samhsa", [])
    }

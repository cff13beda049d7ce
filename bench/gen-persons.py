#!/usr/bin/env python3
"""Synthetic Silk Routes person records with known duplicate clusters, for
`relec dedup` (bench/bench-dedup.sh, tests/scripts/dedup.sh).

usage: gen-persons.py N [SEED] > persons.csv

Writes about N rows in the columns of schemas/person.yaml plus true_id (the
entity: rows with one true_id are one person). An entity has 1 to 4
records, as if written by the border police, the FIA and a provincial
police a month apart. A repeat record may carry:
  - another romanisation (Muhammad / Mohammad / Mohammed / Md, Hussain /
    Hossein, Ahmad / Ahmed, Al-Tamimi / Altamimi, ...), upper case;
  - the name in Perso-Arabic or Bengali script;
  - family and given name swapped;
  - day and month of birth swapped, the year off by one, or no date;
  - a typo (one letter dropped, doubled or swapped);
  - no father's name, no document, a different document;
  - an age one year older.
Hard negatives come from the name pool: Muhammad is a fifth of the given
names and Khan a tenth of the family names, so many different men are
named Muhammad Khan (they differ in date of birth and father's name, as
real people do; a few share a birth year).
Deterministic for a given N and SEED.
"""
import random
import sys

# canonical -> romanisation variants (same variant-tolerant key)
VARIANTS = {
    "Muhammad": ["Mohammad", "Mohammed", "Muhammed", "Mohamed", "Md", "Mohd"],
    "Hussain": ["Hussein", "Hossein", "Husain", "Hossain"],
    "Ahmad": ["Ahmed"],
    "Hassan": ["Hasan"],
    "Mahmood": ["Mahmud", "Mehmood"],
    "Yousuf": ["Yusuf", "Yousaf"],
    "Qasim": ["Kasim", "Qaseem"],
    "Sadiq": ["Sadeq"],
    "Abdullah": ["Abd Allah", "Abdallah"],
    "Abdul Rahman": ["Abdur Rahman", "Abdurrahman", "Abd al-Rahman"],
    "Rahman": ["Rehman"],
    "Hussaini": ["Hossaini", "Husaini", "Hosseini"],
    "Al-Tamimi": ["Al Tamimi", "Altamimi"],
    "Noori": ["Nouri", "Nuri"],
    "Haidari": ["Heidari"],
    "Ghulam": ["Gholam"],
    "Reza": ["Raza"],
    "Khan": ["Khaan"],
    "Naseer": ["Nasir"],
    "Nasiruddin": ["Nasir Uddin"],
    "Habibullah": ["Habib Ullah"],
    "Chaudhry": ["Chaudhary"],
    "Javed": ["Jawed"],
    "Tariq": ["Tareq"],
    "Waheed": ["Wahid"],
    "Rasool": ["Rasul"],
    "Sharif": ["Shareef"],
}
# canonical -> script forms (checked to give the same key)
SCRIPT = {
    "Muhammad": ["محمد", "মোহাম্মদ"], "Hussain": ["حسین", "হোসেন"],
    "Ahmad": ["احمد", "আহমেদ"], "Ali": ["علی", "আলী"], "Hassan": ["حسن", "হাসান"],
    "Khan": ["خان"], "Rahimi": ["رحیمی"], "Ahmadi": ["احمدی"],
    "Hussaini": ["حسینی"], "Karimi": ["کریمی"], "Mahmood": ["محمود"],
    "Rahman": ["رحمان", "রহমান"], "Ghulam": ["غلام"], "Nabi": ["نبی"],
    "Reza": ["رضا"], "Hamid": ["حمید"], "Jawad": ["جواد"], "Omar": ["عمر"],
    "Fatima": ["فاطمه"], "Noori": ["نوری"], "Yousuf": ["یوسف"],
    "Qasim": ["قاسم"], "Sadiq": ["صادق"], "Abdullah": ["عبدالله"],
    "Abdul Rahman": ["عبدالرحمن"], "Moradi": ["مرادی"], "Haidari": ["حیدری"],
    "Akbar": ["اکبر"], "Gul": ["گل"], "Karim": ["করিম"], "Begum": ["বেগম"],
    "Akter": ["আক্তার"], "Rahim": ["রহিম"], "Sultana": ["সুলতানা"],
    "Khatun": ["খাতুন"], "Jasim": ["জসিম"], "Al-Tamimi": ["التميمي"],
}
GIVEN_M = ["Muhammad"] * 12 + [
    "Ahmad", "Ali", "Hussain", "Hassan", "Mahmood", "Ghulam", "Reza", "Hamid",
    "Jawad", "Omar", "Yousuf", "Qasim", "Sadiq", "Abdullah", "Abdul Rahman",
    "Akbar", "Karim", "Rahim", "Jasim", "Nabi", "Gul", "Naseer", "Nasiruddin",
    "Habibullah", "Javed", "Tariq", "Waheed", "Rasool", "Sharif", "Bilal",
    "Imran", "Asif", "Zaman", "Aslam", "Farid", "Kamal", "Jamal", "Rashid",
    "Saeed", "Mustafa", "Idris", "Anwar", "Babar", "Daud", "Ejaz", "Fawad",
    "Hafiz", "Iqbal", "Junaid", "Khalid", "Latif", "Majid", "Nadeem",
    "Pervez", "Qadir", "Rafiq", "Shakeel", "Tahir", "Usman", "Wasim",
    "Yasin", "Zubair"]
SECOND = ["Aslam", "Nabi", "Ali", "Akbar", "Rahim", "Karim", "Hussain",
          "Jan", "Gul", "Zaman", "Tariq", "Hamid", "Bilal", "Imran", "Asif",
          "Iqbal", "Rafiq", "Sharif", "Yasin", "Khalid", "Anwar", "Farid",
          "Idris", "Latif", "Majid", "Qadir", "Rashid", "Saeed", "Usman",
          "Wasim"]
GIVEN_F = ["Fatima", "Begum", "Sultana", "Khatun", "Akter", "Bibi", "Maryam",
           "Zainab", "Ayesha", "Sakina", "Rukhsana", "Nasreen", "Parveen",
           "Shabana", "Farzana", "Laila", "Nargis", "Roya", "Shirin", "Gulalai"]
FAMILY = ["Khan"] * 10 + [
    "Rahimi", "Ahmadi", "Hussaini", "Karimi", "Moradi", "Haidari", "Noori",
    "Al-Tamimi", "Rahman", "Chaudhry", "Baloch", "Durrani", "Popalzai",
    "Siddiqui", "Qureshi", "Shah", "Sadiq", "Mahmood", "Akbari", "Azizi",
    "Barakzai", "Hotak", "Jafari", "Kakar", "Mohammadi", "Nazari", "Omari",
    "Qaderi", "Rezaei", "Sultani", "Tajik", "Wardak", "Yusufzai", "Zahedi",
    "Afridi", "Bangash", "Khattak", "Mengal", "Marri", "Bugti", "Rind",
    "Jatoi", "Bhatti", "Gondal", "Warraich", "Cheema", "Bajwa", "Sandhu",
    "Malik", "Awan", "Butt", "Dar", "Mir", "Lone", "Sheikh", "Mirza",
    "Hashimi", "Sadat", "Alavi", "Kazemi", "Musavi", "Tehrani", "Shirazi",
    "Islam", "Uddin", "Miah", "Sarkar", "Talukdar", "Chowdhury", "Bhuiyan",
    "Mondal", "Sheikh", "Hossain", "Akter", "Begum", "Khatun"]
NATS = ["AFG"] * 5 + ["PAK"] * 3 + ["BGD"] * 2 + ["IRN", "IRQ"]
DOCS = {"AFG": "tazkira", "PAK": "cnic", "BGD": "nid_bd",
        "IRN": "iran_national_code", "IRQ": "passport"}
ROLES = ["smuggled_migrant"] * 6 + ["irregular_migrant"] * 3 + ["victim", "suspect"]
AGENCIES = ["FIA", "BPA", "PP", "IOM"]


def variant(rng, name, p_roman=0.5, p_script=0.15):
    """Another spelling of a (multi-word) name."""
    parts = []
    words = name.split(" ")
    # multi-word canonical names first
    if name in VARIANTS or name in SCRIPT:
        words = [name]
    for w in words:
        r = rng.random()
        if r < p_script and w in SCRIPT:
            parts.append(rng.choice(SCRIPT[w]))
        elif r < p_script + p_roman and w in VARIANTS:
            parts.append(rng.choice(VARIANTS[w]))
        else:
            parts.append(w)
    return " ".join(parts)


def full_variant(rng, name):
    if name in VARIANTS or name in SCRIPT:
        return variant(rng, name)
    return " ".join(variant(rng, w) for w in name.split(" "))


def typo(rng, s):
    if len(s) < 4 or not s.isascii():
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.random()
    if k < 0.33:
        return s[:i] + s[i + 1:]
    if k < 0.66:
        return s[:i] + s[i] + s[i:]
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]


def doc_number(rng, kind):
    if kind == "cnic":
        return "%d%04d-%07d-%d" % (rng.randint(1, 7), rng.randrange(10000),
                                   rng.randrange(10 ** 7), rng.randint(1, 9))
    if kind == "nid_bd":
        return "%010d" % rng.randrange(10 ** 10)
    if kind == "iran_national_code":
        return "%010d" % rng.randrange(10 ** 10)
    if kind == "passport":
        return "A%07d" % rng.randrange(10 ** 7)
    return "%04d-%04d-%05d" % (rng.randint(1390, 1403), rng.randrange(10000),
                               rng.randrange(100000))


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    out.write("person_id,incident_id,role,family_name,given_name,father_name,"
              "sex,date_of_birth,age,nationality,id_document_type,"
              "id_document_number,exploitation_form,referral,notes,true_id\n")
    rows = 0
    ent = 0
    pid = 0
    while rows < n:
        ent += 1
        female = rng.random() < 0.2
        if female:
            given = rng.choice(GIVEN_F)
        else:
            given = rng.choice(GIVEN_M)
            if rng.random() < 0.5:
                given += " " + rng.choice(SECOND)
        family = rng.choice(FAMILY)
        father = rng.choice(GIVEN_M) + (" " + rng.choice(SECOND) if rng.random() < 0.5 else "")
        y, m, d = rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28)
        has_dob = rng.random() < 0.85
        nat = rng.choice(NATS)
        doc = DOCS[nat] if rng.random() < 0.5 else ""
        docno = doc_number(rng, doc) if doc else ""
        role = rng.choice(ROLES)
        k = rng.random()
        copies = 1 if k < 0.6 else 2 if k < 0.85 else 3 if k < 0.95 else 4
        copies = min(copies, n - rows)
        for c in range(copies):
            pid += 1
            fam, giv, fat = family, given, father
            yy, mm, dd = y, m, d
            dob = has_dob
            dt, dn = doc, docno
            age_shift = 0
            if c > 0:
                fam = full_variant(rng, fam)
                giv = full_variant(rng, giv)
                fat = full_variant(rng, fat)
                r = rng.random()
                if r < 0.1:
                    fam, giv = giv, fam
                if rng.random() < 0.1:
                    fam, giv = fam.upper(), giv.upper()
                if rng.random() < 0.1:
                    fam = typo(rng, fam)
                elif rng.random() < 0.1:
                    giv = typo(rng, giv)
                r = rng.random()
                if r < 0.1 and dd <= 12 and dd != mm:
                    mm, dd = dd, mm
                elif r < 0.18:
                    yy += rng.choice((-1, 1))
                elif r < 0.28:
                    dob = False
                if rng.random() < 0.25:
                    fat = ""
                if rng.random() < 0.4:
                    dt, dn = "", ""
                age_shift = rng.random() < 0.3
            age = 2025 - y - (1 if (m, d) > (6, 1) else 0) + age_shift
            if age < 0 or age > 120:
                age = ""
            inc = "%s-2025-%s-%05d" % (nat if nat in ("AFG", "BGD", "IRN", "IRQ", "PAK") else "PAK",
                                       rng.choice(AGENCIES), rng.randrange(100000))
            out.write("P%07d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,,,,E%07d\n" % (
                pid, inc, role, fam, giv, fat, "female" if female else "male",
                "%04d-%02d-%02d" % (yy, mm, dd) if dob else "", age, nat, dt,
                dn, ent))
        rows += copies


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""regional_persons.py - independent synthetic test data for person deduplication.

Writes a person table, an incident table and the ground truth (which rows
are the same real person) in the field layout of the RELEC incident data
standard (Afghanistan, Bangladesh, Iran, Iraq, Pakistan, Turkey).

Written from a description of the problem only, without reading the code,
scripts or tests of the tool it is meant to evaluate.  See README-dedup.md.

    python3 regional_persons.py --seed 1 --rows 20000 -o /tmp/rp20k
    python3 regional_persons.py --seed 1 --rows 1000000 -o /tmp/rp1m --split

Standard library only; deterministic for a given --seed and --rows.
"""

import argparse
import bisect
import csv
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from collections import Counter, defaultdict

PERSON_COLS = ["person_id", "incident_id", "role", "family_name", "given_name",
               "father_name", "sex", "date_of_birth", "dob_precision", "age",
               "nationality", "id_document_type", "id_document_number",
               "exploitation_form", "referral", "notes"]
INCIDENT_COLS = ["incident_id", "reporting_country", "reporting_agency",
                 "reporting_period", "incident_date", "offence_type", "place_type",
                 "admin1", "place_name", "border_crossing_point",
                 "exploitation_forms", "route_origin", "route_transit",
                 "route_destination", "transport_mode", "victims_count",
                 "smuggled_migrants_count", "irregular_migrants_count",
                 "suspects_count", "deaths_count", "case_stage", "stage_date",
                 "notes"]

FIRST_YEAR = 2016
N_MONTHS = 9 * 12          # incidents 2016-01 .. 2024-12


# --------------------------------------------------------------------------
# weighted sampling
# --------------------------------------------------------------------------
class W:
    """Weighted choice from (item, weight) pairs with one rng.random() call."""
    __slots__ = ("items", "cum", "tot")

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum = []
        t = 0.0
        for p in pairs:
            t += p[1]
            self.cum.append(t)
        self.tot = t

    def pick(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.tot)]


def zipf(items, s=0.75):
    """Items listed most common first -> Zipf-like weights."""
    return W([(x, 1.0 / (i + 1) ** s) for i, x in enumerate(items)])


# --------------------------------------------------------------------------
# names: romanisation classes (first member is the class key)
# --------------------------------------------------------------------------
CLASSES = [
    ["Muhammad", "Mohammad", "Mohammed", "Muhammed", "Mohamed", "Mohamad",
     ("Md.", .3), ("Mohd", .2), ("Md", .15), ("M.", .1)],
    ["Ahmad", "Ahmed"], ["Hassan", "Hasan"],
    ["Hussain", "Hussein", "Hossein", "Husain", "Hossain", ("Hosain", .5),
     ("Husayn", .4), ("Hosen", .3)],
    ["Jafar", "Ja'far", "Jaffar", ("Jafer", .5), ("Jaafar", .5)],
    ["Abdul Rahman", "Abdurrahman", "Abd al-Rahman", "Abdul Rehman",
     "Abdulrahman", "Abdur Rahman", ("Abd-ur-Rahman", .4), ("Abdel Rahman", .4)],
    ["Rehman", "Rahman", ("Rahaman", .5)],
    ["Yousaf", "Yusuf", "Yousuf", "Yousef", ("Yusef", .5)],
    ["Usman", "Osman", ("Othman", .5), ("Uthman", .5)],
    ["Umar", "Omar"], ["Ali", ("Aly", .1)],
    ["Chaudhry", "Chaudhary", "Choudhry", ("Chaudhri", .5)],
    ["Chowdhury", "Choudhury", "Chowdhuri", ("Chowdhry", .5)],
    ["Qureshi", "Quraishi", ("Qureishi", .5)],
    ["Rezaei", "Rezaee", "Rezai", ("Rezayi", .5), ("Rezaie", .5)],
    ["Hosseini", "Husseini", "Hussaini", ("Hosaini", .5), ("Husaini", .5)],
    ["Mohammadi", "Muhammadi", "Mohamadi", ("Mohammady", .4)],
    ["Ahmadi", ("Ahmady", .4), ("Ahmedi", .6)],
    ["Karimi", ("Karimy", .4)], ["Rahimi", ("Rahimy", .4)],
    ["Haidari", "Heidari", "Haydari", ("Hedari", .4)],
    ["Jafari", "Jaafari", ("Jafary", .5), ("Ja'fari", .5)],
    ["Sultani", "Soltani"], ["Noori", "Nouri", "Nuri"],
    ["Mahmood", "Mahmoud", "Mahmud"],
    ["Massoud", "Masoud", "Masood", "Masud"],
    ["Wahid", "Vahid", "Waheed"], ["Nasir", "Naser", "Nasser", "Naseer"],
    ["Ismail", "Esmaeil", "Ismael", ("Esmail", .6)],
    ["Ibrahim", "Ebrahim", ("Ibraheem", .5)],
    ["Mustafa", "Mostafa", ("Mustapha", .4)],
    ["Morteza", "Murtaza", "Murtadha", ("Mortaza", .5)],
    ["Kazem", "Kadhim", "Kazim"], ["Qasim", "Kasim", "Ghasem", ("Qassim", .5)],
    ["Zainab", "Zeynab", "Zaynab", ("Zenab", .4)],
    ["Fatima", "Fatemeh", "Fatema", ("Fatimah", .5)],
    ["Ayesha", "Aisha", "Aysha", ("Ayesa", .3)],
    ["Masooma", "Masoumeh", "Masuma", ("Masoma", .4)],
    ["Laila", "Leila", "Layla", ("Leyla", .5)],
    ["Nargis", "Narges"], ["Nasreen", "Nasrin"], ["Zahra", "Zahraa"],
    ["Javed", "Javid", "Jawed", ("Javeed", .5)], ["Naveed", "Navid", "Nawid"],
    ["Yasir", "Yasser", "Yaser", ("Yassir", .5)], ["Khalid", "Khaled"],
    ["Rashid", "Rasheed"], ["Saeed", "Saied", ("Sayeed", .5)],
    ["Majid", "Majeed"], ["Hamid", "Hameed"], ["Bashir", "Basheer"],
    ["Shafiq", "Shafique", ("Shafeeq", .5)], ["Farid", "Fareed"],
    ["Karim", "Kareem", ("Karem", .3)], ["Rahim", "Raheem"],
    ["Haider", "Haidar", "Heydar", ("Hyder", .5)],
    ["Sayed", "Sayyed", "Syed", "Seyed"], ["Abdullah", "Abdallah", ("Abdulla", .5)],
    ["Habibullah", "Habib Ullah", ("Habibollah", .5)],
    ["Noorullah", "Nurullah", ("Noor Ullah", .5)],
    ["Hayatullah", ("Hayat Ullah", .5)],
    ["Rahmatullah", "Rahmat Ullah", ("Rahmatollah", .5)],
    ["Najibullah", "Najib Ullah", ("Najibollah", .5)],
    ["Zabihullah", "Zabiullah", ("Zabihollah", .5)],
    ["Samiullah", "Sami Ullah"], ["Ezatullah", "Izzatullah", ("Ezzatollah", .5)],
    ["Asadullah", "Asadollah", ("Asad Ullah", .5)],
    ["Gul", "Gol"], ["Noor", "Nur", "Nour"], ["Sher", "Shir"], ["Abbas", ("Abas", .3)],
    ["Jawad", "Javad", ("Jawwad", .4)], ["Zia", ("Ziya", .5)], ["Omid", ("Omeed", .5)],
    ["Reza", "Raza", ("Rida", .4)],
    ["Uddin", ("Uddeen", .5), ("Udin", .4)], ["Akhtar", "Akter", "Akhter", ("Aktar", .5)],
    ["Miah", "Mia", ("Mian", .5)], ["Haque", "Hoque", "Huq", ("Haq", .5)],
    ["Sarker", "Sarkar"], ["Molla", "Mollah"], ["Bhuiyan", "Bhuyan", ("Bhuiya", .5)],
    ["Khatun", "Khatoon"], ["Begum", ("Begom", .5)], ["Talukder", "Talukdar"],
    ["Howlader", "Hawlader"], ["Patwary", "Patwari"], ["Sikder", "Sikdar"],
    ["Mondal", "Mondol", "Mandal"], ["Rafiqul", "Rafikul"], ["Shafiqul", "Shafikul"],
    ["Shahidul", "Shohidul"], ["Mizanur", ("Mizanoor", .5)],
    ["Jahangir", ("Jahangeer", .5)], ["Alamgir", ("Alamgeer", .5)],
    ["Faruk", "Farooq", "Faruque", ("Farook", .5)], ["Jasim", "Jassim", "Jasem"],
    ["Delwar", "Delowar", ("Dilwar", .5)], ["Sohel", "Sohail", ("Suhail", .5)],
    ["Jubouri", "Juburi", "Jbouri", ("Jabouri", .5)], ["Obaidi", "Ubaidi", "Obeidi"],
    ["Dulaimi", "Dulaymi", ("Dleimi", .5)], ["Tamimi", ("Tamimy", .4)],
    ["Shammari", "Shamari"], ["Azzawi", "Azawi"], ["Rubaie", "Rubaiy", "Rubaei"],
    ["Khafaji", ("Khafagi", .4)], ["Saadi", "Saedi"], ["Bayati", ("Bayaty", .4)],
    ["Hashimi", "Hashemi", "Hashmi"], ["Zubaidi", "Zubaydi", "Zubeidi"],
    ["Janabi", ("Jannabi", .4)], ["Hamdani", "Hamadani"], ["Maliki", ("Malki", .4)],
    ["Salih", "Saleh"], ["Qadir", "Qader", "Kadir"], ["Aziz", ("Azeez", .5)],
    ["Ghasemi", "Qasemi", ("Qasimi", .5)], ["Mousavi", "Musavi", "Moosavi", ("Musawi", .5)],
    ["Sadeghi", "Sadeqi", ("Sadiqi", .5)], ["Bagheri", "Baqeri"], ["Ghorbani", "Qorbani"],
    ["Kazemi", "Kazimi"], ["Ebrahimi", "Ibrahimi"], ["Yousefi", "Yusufi", "Yousufi"],
    ["Mohsen", "Muhsin", "Mohsin"], ["Mojtaba", "Mujtaba"], ["Mehdi", "Mahdi"],
    ["Younas", "Younis", "Yunus"], ["Ijaz", "Ejaz", ("Aijaz", .5)],
    ["Zubair", "Zubayr", ("Zobair", .5)], ["Hamza", ("Hamzah", .5)],
    ["Shahzad", "Shehzad"], ["Naseem", "Nasim"], ["Kausar", "Kawsar"],
    ["Saima", ("Saema", .4)], ["Amna", "Amina", ("Aamna", .4)],
    ["Parveen", "Parvin", ("Perveen", .5)], ["Samina", "Sameena"],
    ["Mehwish", "Mahwish"], ["Ghulam", "Gholam", ("Gulam", .5)],
    ["Rasool", "Rasul", "Rasoul"], ["Mohammad Reza", "Mohammadreza", ("Mohammad-Reza", .5)],
    ["Mohammad Ali", "Mohammadali"], ["Amir Hossein", "Amirhossein"],
    ["Abdul Ghani", "Abdulghani", ("Abd al-Ghani", .5)],
    ["Abdul Wahid", "Abdulwahid", "Abdul Waheed"],
    ["Abdul Qadir", "Abdul Qader", "Abdulqadir", ("Abdul Kadir", .5)],
    ["Abdul Karim", "Abdul Kareem", "Abdulkarim"],
    ["Abdul Rahim", "Abdul Raheem", ("Abdurrahim", .5)],
    ["Abdul Sattar", "Abdul Satar", ("Abdussattar", .5)],
    ["Sakina", "Sakineh"], ["Shabnam", ("Shabnum", .4)], ["Marzia", "Marziyeh"],
    ["Somayeh", "Sumaya", "Somaye"], ["Hanan", ("Hannan", .3)],
    ["Iman", "Eman"], ["Huda", "Hoda"],
]

CLASS_OF = {}        # any spelling -> key (first member)
CLASS_W = {}         # key -> W over spellings
for _cls in CLASSES:
    _pairs = []
    for _i, _m in enumerate(_cls):
        if isinstance(_m, tuple):
            _pairs.append(_m)
        else:
            _pairs.append((_m, 1.0 if _i < 3 else 0.6))
    _key = _pairs[0][0]
    for _m, _w in _pairs:
        CLASS_OF[_m] = _key
    CLASS_W[_key] = W(_pairs)


ABBREVIATIONS = {"Md.", "Md", "Mohd", "M."}


def key_of(atom):
    return CLASS_OF.get(atom, atom)


# --------------------------------------------------------------------------
# Perso-Arabic spellings (Persian letter forms; converted per agency)
# --------------------------------------------------------------------------
PA = {
    "Muhammad": "محمد", "Ahmad": "احمد", "Hassan": "حسن", "Hussain": "حسین",
    "Ali": "علی", "Jafar": "جعفر", "Abdul Rahman": "عبدالرحمن", "Rehman": "رحمان",
    "Yousaf": "یوسف", "Usman": "عثمان", "Umar": "عمر", "Chaudhry": "چوهدری",
    "Qureshi": "قریشی", "Rezaei": "رضایی", "Hosseini": "حسینی", "Mohammadi": "محمدی",
    "Ahmadi": "احمدی", "Karimi": "کریمی", "Rahimi": "رحیمی", "Haidari": "حیدری",
    "Jafari": "جعفری", "Sultani": "سلطانی", "Noori": "نوری", "Mahmood": "محمود",
    "Massoud": "مسعود", "Wahid": "وحید", "Nasir": "ناصر", "Ismail": "اسماعیل",
    "Ibrahim": "ابراهیم", "Mustafa": "مصطفی", "Morteza": "مرتضی", "Kazem": "کاظم",
    "Qasim": "قاسم", "Zainab": "زینب", "Fatima": "فاطمه", "Ayesha": "عایشه",
    "Masooma": "معصومه", "Laila": "لیلا", "Nargis": "نرگس", "Nasreen": "نسرین",
    "Zahra": "زهرا", "Javed": "جاوید", "Naveed": "نوید", "Yasir": "یاسر",
    "Khalid": "خالد", "Rashid": "راشد", "Saeed": "سعید", "Majid": "مجید",
    "Hamid": "حمید", "Bashir": "بشیر", "Shafiq": "شفیق", "Farid": "فرید",
    "Karim": "کریم", "Rahim": "رحیم", "Haider": "حیدر", "Sayed": "سید",
    "Abdullah": "عبدالله", "Habibullah": "حبیب\u200cالله", "Noorullah": "نورالله",
    "Hayatullah": "حیات\u200cالله", "Rahmatullah": "رحمت\u200cالله",
    "Najibullah": "نجیب\u200cالله", "Zabihullah": "ذبیح\u200cالله",
    "Samiullah": "سمیع\u200cالله", "Ezatullah": "عزت\u200cالله", "Asadullah": "اسدالله",
    "Gul": "گل", "Noor": "نور", "Sher": "شیر", "Abbas": "عباس", "Jawad": "جواد",
    "Zia": "ضیا", "Omid": "امید", "Reza": "رضا", "Akhtar": "اختر",
    "Jubouri": "جبوری", "Obaidi": "عبیدی", "Dulaimi": "دلیمی", "Tamimi": "تمیمی",
    "Shammari": "شمری", "Azzawi": "عزاوی", "Rubaie": "ربیعی", "Khafaji": "خفاجی",
    "Saadi": "ساعدی", "Bayati": "بیاتی", "Hashimi": "هاشمی", "Zubaidi": "زبیدی",
    "Janabi": "جنابی", "Hamdani": "حمدانی", "Maliki": "مالکی", "Kurdi": "کردی",
    "Salih": "صالح", "Qadir": "قادر", "Aziz": "عزیز", "Ghasemi": "قاسمی",
    "Mousavi": "موسوی", "Sadeghi": "صادقی", "Bagheri": "باقری", "Ghorbani": "قربانی",
    "Kazemi": "کاظمی", "Ebrahimi": "ابراهیمی", "Yousefi": "یوسفی", "Mohsen": "محسن",
    "Mojtaba": "مجتبی", "Mehdi": "مهدی", "Younas": "یونس", "Ijaz": "اعجاز",
    "Zubair": "زبیر", "Hamza": "حمزه", "Shahzad": "شهزاد", "Naseem": "نسیم",
    "Kausar": "کوثر", "Saima": "صائمه", "Amna": "آمنه", "Parveen": "پروین",
    "Samina": "ثمینه", "Mehwish": "مهوش", "Ghulam": "غلام", "Rasool": "رسول",
    "Mohammad Reza": "محمدرضا", "Mohammad Ali": "محمدعلی", "Amir Hossein": "امیرحسین",
    "Abdul Ghani": "عبدالغنی", "Abdul Wahid": "عبدالواحد", "Abdul Qadir": "عبدالقادر",
    "Abdul Karim": "عبدالکریم", "Abdul Rahim": "عبدالرحیم", "Abdul Sattar": "عبدالستار",
    "Sakina": "سکینه", "Shabnam": "شبنم", "Marzia": "مرضیه", "Somayeh": "سمیه",
    "Hanan": "حنان", "Iman": "ایمان", "Huda": "هدی",
    # not in a variation class
    "Imran": "عمران", "Bilal": "بلال", "Asif": "آصف", "Tariq": "طارق", "Zahid": "زاهد",
    "Kamran": "کامران", "Adnan": "عدنان", "Faisal": "فیصل", "Shahid": "شاهد",
    "Waqas": "وقاص", "Irfan": "عرفان", "Sajid": "ساجد", "Arshad": "ارشد",
    "Nadeem": "ندیم", "Rizwan": "رضوان", "Zeeshan": "ذیشان", "Amir": "امیر",
    "Iqbal": "اقبال", "Akram": "اکرم", "Aslam": "اسلم", "Azhar": "اظهر",
    "Fahad": "فهد", "Mushtaq": "مشتاق", "Ishaq": "اسحاق", "Sana": "ثنا",
    "Nadia": "نادیه", "Rubina": "روبینه", "Shazia": "شازیه", "Bushra": "بشری",
    "Kiran": "کرن", "Hina": "حنا", "Rukhsana": "رخسانه", "Shabana": "شبانه",
    "Bibi": "بی\u200cبی", "Khan": "خان", "Shah": "شاه", "Butt": "بٹ", "Malik": "ملک",
    "Mirza": "میرزا", "Abbasi": "عباسی", "Awan": "اعوان", "Baloch": "بلوچ",
    "Khattak": "خٹک", "Yousafzai": "یوسفزی", "Afridi": "آفریدی", "Bhatti": "بھٹی",
    "Rajput": "راجپوت", "Siddiqui": "صدیقی", "Sheikh": "شیخ", "Gondal": "گوندل",
    "Jutt": "جٹ", "Mughal": "مغل", "Rana": "رانا", "Zaidi": "زیدی",
    "Shinwari": "شینواری", "Mehsud": "محسود", "Wazir": "وزیر", "Durrani": "درانی",
    "Niazi": "نیازی", "Cheema": "چیمه", "Anwar": "انور", "Mahmood Khan": "محمود خان",
    "Jamshid": "جمشید", "Hakimi": "حکیمی", "Amiri": "امیری", "Habibi": "حبیبی",
    "Sadat": "سادات", "Stanikzai": "ستانکزی", "Ahmadzai": "احمدزی", "Popal": "پوپل",
    "Safi": "صافی", "Mangal": "منگل", "Wardak": "وردک", "Sharifi": "شریفی",
    "Nazari": "نظری", "Azimi": "عظیمی", "Barakzai": "بارکزی", "Popalzai": "پوپلزی",
    "Naseri": "ناصری", "Rahmani": "رحمانی", "Qaderi": "قادری", "Hotak": "هوتک",
    "Gulalai": "گلالی", "Parwana": "پروانه", "Khadija": "خدیجه", "Zarmina": "زرمینه",
    "Halima": "حلیمه", "Nazifa": "نظیفه", "Hamida": "حمیده", "Soraya": "ثریا",
    "Farzana": "فرزانه", "Moradi": "مرادی", "Akbari": "اکبری", "Azizi": "عزیزی",
    "Amini": "امینی", "Rostami": "رستمی", "Karami": "کرمی", "Salehi": "صالحی",
    "Jalali": "جلالی", "Najafi": "نجفی", "Zare": "زارع",
    "Hosseinzadeh": "حسین\u200cزاده", "Alizadeh": "علیزاده", "Shahbazi": "شهبازی",
    "Asadi": "اسدی", "Tehrani": "تهرانی", "Shirazi": "شیرازی", "Baluchi": "بلوچی",
    "Hamed": "حامد", "Behzad": "بهزاد", "Arash": "آرش", "Babak": "بابک",
    "Farhad": "فرهاد", "Sara": "سارا", "Mahsa": "مهسا", "Elham": "الهام",
    "Parisa": "پریسا", "Shirin": "شیرین", "Azam": "اعظم", "Roya": "رویا",
    "Mina": "مینا", "Samira": "سمیرا", "Maryam": "مریم", "Saad": "سعد",
    "Salim": "سلیم", "Sami": "سامی", "Adel": "عادل", "Falah": "فلاح", "Majed": "ماجد",
    "Ammar": "عمار", "Zaid": "زید", "Sajjad": "سجاد", "Nawzad": "نوزاد",
    "Karwan": "کاروان", "Rebwar": "ریبوار", "Dilshad": "دلشاد", "Shwan": "شوان",
    "Rusul": "رسل", "Shahad": "شهد", "Barzani": "بارزانی", "Talabani": "طالبانی",
    "Haji": "حاجی", "Hakim": "حکیم", "Latif": "لطیف", "Wali": "ولی",
    "Jasim": "جاسم", "Begum": "بیگم", "Faruk": "فاروق", "Sohel": "سهیل",
}

# Bengali spellings (Bangladeshi names)
BN = {
    "Muhammad": ("মোঃ", "মোহাম্মদ", "মুহাম্মদ"), "Rahim": "রহিম", "Karim": "করিম",
    "Abdul": "আব্দুল", "Hassan": "হাসান", "Hussain": "হোসেন", "Rafiqul": "রফিকুল",
    "Aminul": "আমিনুল", "Saiful": "সাইফুল", "Shahidul": "শহিদুল", "Mizanur": "মিজানুর",
    "Mahbub": "মাহবুব", "Jahangir": "জাহাঙ্গীর", "Alamgir": "আলমগীর", "Kamal": "কামাল",
    "Jamal": "জামাল", "Rubel": "রুবেল", "Sohel": "সোহেল", "Shafiqul": "শফিকুল",
    "Nurul": "নুরুল", "Anwar": "আনোয়ার", "Habib": "হাবিব", "Massoud": "মাসুদ",
    "Faruk": "ফারুক", "Ripon": "রিপন", "Shamim": "শামীম", "Liton": "লিটন",
    "Babul": "বাবুল", "Jasim": "জসিম", "Delwar": "দেলোয়ার", "Abul Kalam": "আবুল কালাম",
    "Abdul Rahman": ("আব্দুর রহমান", "আবদুর রহমান"), "Fatima": "ফাতেমা",
    "Ayesha": "আয়েশা", "Rahima": "রহিমা", "Nasreen": "নাসরিন", "Shahnaz": "শাহনাজ",
    "Rokeya": "রোকেয়া", "Salma": "সালমা", "Shirin": "শিরিন", "Jesmin": "জেসমিন",
    "Morjina": "মর্জিনা", "Khadija": "খাদিজা", "Taslima": "তাসলিমা", "Rina": "রিনা",
    "Shilpi": "শিল্পী", "Akhi": "আখি", "Sumi": "সুমি", "Poly": "পলি", "Halima": "হালিমা",
    "Rehman": "রহমান", "Islam": "ইসলাম", "Ahmad": "আহমেদ", "Uddin": "উদ্দিন",
    "Alam": "আলম", "Khan": "খান", "Miah": "মিয়া", "Sarker": "সরকার",
    "Chowdhury": "চৌধুরী", "Mondal": "মন্ডল", "Sheikh": "শেখ", "Haque": "হক",
    "Molla": "মোল্লা", "Bhuiyan": "ভূঁইয়া", "Talukder": "তালুকদার", "Kabir": "কবির",
    "Ali": "আলী", "Howlader": "হাওলাদার", "Patwary": "পাটোয়ারী", "Sikder": "সিকদার",
    "Biswas": "বিশ্বাস", "Akhtar": "আক্তার", "Begum": "বেগম", "Khatun": "খাতুন",
    "Abdullah": "আব্দুল্লাহ", "Noor": "নূর", "Ismail": "ইসমাইল", "Yousaf": "ইউসুফ",
    "Ibrahim": "ইব্রাহিম", "Jafar": "জাফর", "Abdul Karim": "আব্দুল করিম",
    "Haji": "হাজী",
}

# Turkish official transliteration of common Muslim names (Turkish agencies)
TURKIFY = {
    "Muhammad": "Muhammed", "Hussain": "Hüseyin", "Ahmad": "Ahmet", "Hassan": "Hasan",
    "Mahmood": "Mahmut", "Yousaf": "Yusuf", "Jafar": "Cafer", "Umar": "Ömer",
    "Usman": "Osman", "Ibrahim": "İbrahim", "Ismail": "İsmail", "Khalid": "Halit",
    "Karim": "Kerim", "Hamid": "Hamit", "Majid": "Mecit", "Saeed": "Sait",
    "Qasim": "Kasım", "Fatima": "Fatma", "Zainab": "Zeynep", "Ayesha": "Ayşe",
    "Khadija": "Hatice", "Maryam": "Meryem", "Rasool": "Resul", "Haider": "Haydar",
    "Zahra": "Zehra", "Sayed": "Seyit", "Noor": "Nur", "Mehdi": "Mehdi",
    "Abdul Rahman": "Abdurrahman", "Ahmadi": "Ahmedi", "Mohammadi": "Muhammedi",
    "Hosseini": "Hüseyni", "Massoud": "Mesut", "Mustafa": "Mustafa", "Reza": "Rıza",
}

TR_FOLD = str.maketrans("ıİşŞçÇğĞöÖüÜâÂ", "iIsScCgGoOuUaA")
TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})
TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه", "ٹ": "ت"})
TO_URDU = str.maketrans({"ه": "ہ", "ي": "ی", "ك": "ک"})
TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ة": "ه", "ہ": "ه", "ھ": "ه", "ٹ": "ت"})


# --------------------------------------------------------------------------
# name pools per nationality; lists are most-common-first
# --------------------------------------------------------------------------
POOL = {
    "PAK": dict(
        male=["Muhammad", "Ali", "Ahmad", "Imran", "Usman", "Hassan", "Bilal", "Asif",
              "Hussain", "Tariq", "Zahid", "Naveed", "Kamran", "Adnan", "Faisal", "Shahid",
              "Waqas", "Abdul Rahman", "Abdullah", "Irfan", "Sajid", "Arshad", "Nadeem",
              "Rizwan", "Javed", "Khalid", "Rashid", "Yasir", "Umar", "Zeeshan", "Amir",
              "Jafar", "Saeed", "Iqbal", "Akram", "Aslam", "Shahzad", "Azhar", "Sohail",
              "Fahad", "Zubair", "Hamza", "Faruk", "Ijaz", "Mushtaq", "Ishaq", "Younas",
              "Yousaf", "Gul", "Noor"],
        female=["Fatima", "Ayesha", "Zainab", "Sana", "Nadia", "Rubina", "Shazia",
                "Nasreen", "Parveen", "Samina", "Bushra", "Kiran", "Saima", "Amna", "Hina",
                "Rukhsana", "Kausar", "Naseem", "Shabana", "Mehwish"],
        family=["Khan", "Ahmad", "Ali", "Hussain", "Shah", "Iqbal", "Akhtar", "Butt",
                "Malik", "Chaudhry", "Qureshi", "Reza", "Mirza", "Abbasi", "Awan", "Baloch",
                "Khattak", "Yousafzai", "Afridi", "Bhatti", "Rajput", "Javed", "Siddiqui",
                "Sheikh", "Gondal", "Jutt", "Mughal", "Rana", "Zaidi", "Shinwari", "Mehsud",
                "Wazir", "Durrani", "Niazi", "Cheema", "Anwar", "Aslam", "Rehman"],
        family_f=["Bibi", "Khan", "Ahmed", "Ali", "Hussain", "Akhtar", "Begum", "Malik",
                  "Shah", "Iqbal", "Butt"],
        father_prefix=[("", 55), ("Muhammad", 25), ("Ghulam", 8), ("Haji", 4),
                       ("Malik", 3), ("Gul", 3), ("Sher", 2)],
        compound_given=("Muhammad", 0.35),
        common=[(("Muhammad", "Khan"), 10), (("Muhammad", "Ali"), 5),
                (("Muhammad Asif", "Khan"), 3), (("Ali", "Reza"), 3),
                (("Muhammad Imran", "Hussain"), 3), (("Imran", "Khan"), 4),
                (("Muhammad", "Iqbal"), 3), (("Ahmad", "Ali"), 3),
                (("Muhammad Usman", "Malik"), 2), (("Muhammad Bilal", "Butt"), 2)],
        common_f=[(("Fatima", "Bibi"), 3), (("Ayesha", "Bibi"), 2), (("Nasreen", "Akhtar"), 2)],
        script="ur", no_surname=0.04),
    "AFG": dict(
        male=["Ahmad", "Muhammad", "Ali", "Hamid", "Mahmood", "Abdul Rahman", "Gul",
              "Noor", "Noorullah", "Habibullah", "Hayatullah", "Rahmatullah", "Najibullah",
              "Zabihullah", "Samiullah", "Ezatullah", "Asadullah", "Sayed", "Jawad",
              "Farid", "Bashir", "Nasir", "Wahid", "Rahim", "Karim", "Shafiq", "Jamshid",
              "Mustafa", "Sher", "Ismail", "Qasim", "Zia", "Massoud", "Javed", "Omid",
              "Reza", "Hussain", "Jafar", "Abbas", "Abdul Ghani", "Abdul Wahid",
              "Abdul Qadir", "Abdul Karim", "Abdul Rahim", "Gul Muhammad", "Sher Ali",
              "Ahmad Shah", "Wali", "Hakim", "Latif"],
        female=["Fatima", "Zahra", "Maryam", "Masooma", "Sakina", "Nargis", "Shabnam",
                "Farzana", "Gulalai", "Parwana", "Laila", "Khadija", "Zarmina", "Marzia",
                "Halima", "Nazifa", "Hamida", "Soraya"],
        family=["Ahmadi", "Mohammadi", "Hakimi", "Rahimi", "Karimi", "Hosseini", "Sultani",
                "Noori", "Rezaei", "Jafari", "Haidari", "Amiri", "Habibi", "Sadat",
                "Stanikzai", "Ahmadzai", "Popal", "Safi", "Mangal", "Wardak", "Sharifi",
                "Nazari", "Azimi", "Yousafzai", "Shinwari", "Barakzai", "Popalzai",
                "Naseri", "Rahmani", "Qaderi", "Ahmad", "Rahim", "Karim", "Niazi", "Hotak",
                "Hashimi"],
        family_f=None,
        father_prefix=[("", 70), ("Haji", 8), ("Gul", 5), ("Sayed", 5), ("Muhammad", 7),
                       ("Wali", 2), ("Sher", 3)],
        compound_given=None,
        common=[(("Ahmad", "Ahmadi"), 6), (("Muhammad", "Mohammadi"), 5),
                (("Ali", "Hosseini"), 3), (("Abdul Rahman", "Rahimi"), 2),
                (("Muhammad", "Karimi"), 3), (("Hussain", "Ahmadi"), 2),
                (("Noorullah", "Ahmadzai"), 2), (("Sayed", "Sadat"), 2)],
        common_f=[(("Fatima", "Ahmadi"), 2), (("Zahra", "Hosseini"), 2),
                  (("Maryam", "Mohammadi"), 1)],
        script="fa", no_surname=0.25),
    "IRN": dict(
        male=["Muhammad", "Ali", "Hussain", "Reza", "Mehdi", "Amir", "Hamid", "Majid",
              "Saeed", "Mohsen", "Jawad", "Hassan", "Abbas", "Mustafa", "Morteza",
              "Mojtaba", "Ahmad", "Hamed", "Wahid", "Behzad", "Omid", "Massoud", "Arash",
              "Babak", "Farhad", "Jafar", "Kazem", "Mahmood", "Mohammad Reza",
              "Mohammad Ali", "Amir Hossein", "Ibrahim", "Ismail", "Yousaf", "Karim",
              "Rahim", "Nasir"],
        female=["Fatima", "Zahra", "Maryam", "Masooma", "Zainab", "Laila", "Nargis",
                "Somayeh", "Sara", "Mahsa", "Elham", "Parisa", "Shirin", "Nasreen", "Azam",
                "Roya", "Mina", "Samira"],
        family=["Mohammadi", "Hosseini", "Ahmadi", "Rezaei", "Moradi", "Mousavi", "Karimi",
                "Jafari", "Rahimi", "Hashimi", "Ghasemi", "Sadeghi", "Haidari", "Ebrahimi",
                "Akbari", "Azizi", "Kazemi", "Amini", "Rostami", "Bagheri", "Ghorbani",
                "Karami", "Salehi", "Jalali", "Abbasi", "Najafi", "Sultani", "Zare",
                "Nazari", "Hosseinzadeh", "Alizadeh", "Rahmani", "Shahbazi", "Yousefi",
                "Asadi", "Tehrani", "Shirazi", "Baluchi"],
        family_f=None,
        father_prefix=[("", 92), ("Muhammad", 5), ("Sayed", 3)],
        compound_given=None,
        common=[(("Muhammad", "Rezaei"), 5), (("Ali", "Mohammadi"), 4),
                (("Hussain", "Hosseini"), 3), (("Reza", "Ahmadi"), 3),
                (("Muhammad", "Karimi"), 3), (("Mehdi", "Rezaei"), 2),
                (("Mohammad Reza", "Mohammadi"), 2)],
        common_f=[(("Fatima", "Mohammadi"), 2), (("Zahra", "Ahmadi"), 2),
                  (("Maryam", "Hosseini"), 1)],
        script="fa", no_surname=0.0),
    "IRQ": dict(
        male=["Ali", "Hussain", "Ahmad", "Muhammad", "Hassan", "Mustafa", "Abbas",
              "Haider", "Umar", "Khalid", "Karim", "Saad", "Yasir", "Qasim", "Jafar",
              "Kazem", "Salim", "Sami", "Adel", "Ibrahim", "Mahmood", "Abdullah",
              "Abdul Rahman", "Hamid", "Falah", "Majed", "Ammar", "Zaid", "Morteza",
              "Sajjad", "Rasool", "Jasim", "Faisal", "Nawzad", "Karwan", "Rebwar",
              "Dilshad", "Shwan"],
        female=["Fatima", "Zainab", "Maryam", "Noor", "Huda", "Sara", "Zahra", "Rusul",
                "Shahad", "Hanan", "Iman", "Laila", "Samira", "Nadia", "Khadija"],
        family=["al-Jubouri", "al-Obaidi", "al-Dulaimi", "al-Tamimi", "al-Shammari",
                "al-Azzawi", "al-Rubaie", "al-Khafaji", "al-Saadi", "al-Bayati",
                "al-Hashimi", "al-Maliki", "al-Zubaidi", "al-Janabi", "al-Hamdani",
                "al-Kurdi", "Hussain", "Ali", "Hassan", "Ahmad", "Muhammad", "Abbas",
                "Karim", "Jasim", "Salih", "Barzani", "Talabani", "Qadir", "Aziz",
                "Mahmood"],
        family_f=None,
        father_prefix=[("", 100)],
        compound_given=None,
        common=[(("Ali", "Hussain"), 6), (("Ahmad", "Muhammad"), 4),
                (("Hussain", "Ali"), 4), (("Muhammad", "al-Jubouri"), 2),
                (("Mustafa", "Ahmad"), 2), (("Ali", "Hassan"), 3),
                (("Haider", "al-Saadi"), 2)],
        common_f=[(("Fatima", "Ali"), 2), (("Zainab", "Hussain"), 2)],
        script="ar", no_surname=0.0),
    "BGD": dict(
        male=["Muhammad", "Abdul Rahman", "Rahim", "Karim", "Hassan", "Hussain",
              "Rafiqul", "Aminul", "Saiful", "Shahidul", "Mizanur", "Mahbub", "Jahangir",
              "Alamgir", "Kamal", "Jamal", "Rubel", "Sohel", "Shafiqul", "Nurul", "Anwar",
              "Habib", "Massoud", "Faruk", "Ripon", "Shamim", "Liton", "Babul", "Jasim",
              "Delwar", "Abul Kalam", "Abdul Karim", "Abdullah", "Ismail", "Ibrahim"],
        female=["Fatima", "Ayesha", "Rahima", "Nasreen", "Shahnaz", "Rokeya", "Salma",
                "Shirin", "Jesmin", "Morjina", "Khadija", "Taslima", "Rina", "Shilpi",
                "Akhi", "Sumi", "Poly", "Halima"],
        family=["Rehman", "Islam", "Hussain", "Ahmad", "Uddin", "Alam", "Khan", "Miah",
                "Sarker", "Chowdhury", "Mondal", "Sheikh", "Haque", "Molla", "Bhuiyan",
                "Talukder", "Kabir", "Hassan", "Ali", "Howlader", "Patwary", "Sikder",
                "Biswas"],
        family_f=["Akhtar", "Begum", "Khatun", "Islam", "Rehman", "Chowdhury", "Sarker"],
        father_prefix=[("", 55), ("Mohammad", 35), ("Sheikh", 5), ("Haji", 5)],
        compound_given=("Muhammad", 0.45),
        common=[(("Muhammad", "Rehman"), 6), (("Muhammad Rafiqul", "Islam"), 3),
                (("Abdul Karim", "Miah"), 2), (("Muhammad", "Hussain"), 4),
                (("Muhammad", "Uddin"), 2), (("Abdul Rahman", "Miah"), 2),
                (("Muhammad Shahidul", "Islam"), 2)],
        common_f=[(("Nasreen", "Akhtar"), 2), (("Fatima", "Begum"), 2),
                  (("Rahima", "Khatun"), 1)],
        script="bn", no_surname=0.05),
    "TUR": dict(
        male=["Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail",
              "Osman", "Yusuf", "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah",
              "Mahmut", "Recep", "Salih", "Kemal", "Emre", "Burak", "Fatih", "Serkan",
              "Hakan", "Kadir", "Cemal", "Yaşar", "Orhan", "Erkan"],
        female=["Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife",
                "Zehra", "Sultan", "Hanife", "Merve", "Özlem", "Esra"],
        family=["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım",
                "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin",
                "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat", "Özcan", "Korkmaz",
                "Çakır", "Erdoğan", "Yavuz", "Can", "Acar", "Şen", "Aktaş", "Güler",
                "Bulut", "Keskin", "Ünal", "Tekin"],
        family_f=None,
        father_prefix=[("", 100)],
        compound_given=None,
        common=[(("Mehmet", "Yılmaz"), 5), (("Mustafa", "Kaya"), 3),
                (("Ahmet", "Demir"), 3), (("Ali", "Yıldız"), 2), (("Mehmet", "Çelik"), 2)],
        common_f=[(("Fatma", "Yılmaz"), 2), (("Ayşe", "Kaya"), 1)],
        script=None, no_surname=0.0),
}
# Syrians (met in Turkey and Iraq) use the Arabic pool; Rohingya the Bengali one
POOL["SYR"] = dict(POOL["IRQ"], script="ar")
POOL["MMR"] = dict(POOL["BGD"], script=None, no_surname=0.4,
                   family=["Alam", "Hussain", "Islam", "Miah", "Ali", "Ahmad", "Rehman",
                           "Uddin", "Khan"],
                   common=[(("Muhammad", "Alam"), 3), (("Noor", "Islam"), 2)],
                   common_f=[(("Ayesha", "Begum"), 2)])

# each nationality's usual romanisation of a shared name
NAT_SPELL = {
    "PAK": {"Ahmad": "Ahmed", "Reza": "Raza"},
    "AFG": {"Muhammad": "Mohammad"},
    "IRN": {"Muhammad": "Mohammad", "Hussain": "Hossein", "Wahid": "Vahid",
            "Jawad": "Javad", "Mustafa": "Mostafa", "Ibrahim": "Ebrahim",
            "Ismail": "Esmaeil", "Yousaf": "Yousef", "Nasir": "Naser",
            "Fatima": "Fatemeh", "Masooma": "Masoumeh", "Zainab": "Zeynab",
            "Laila": "Leila", "Nargis": "Narges", "Nasreen": "Nasrin",
            "Sultani": "Soltani", "Haidari": "Heidari", "Hashimi": "Hashemi",
            "Mahmood": "Mahmoud", "Massoud": "Masoud", "Hassan": "Hasan"},
    "IRQ": {"Muhammad": "Mohammed", "Hussain": "Hussein", "Ahmad": "Ahmed",
            "Umar": "Omar", "Kazem": "Kadhim", "Mahmood": "Mahmoud",
            "Morteza": "Murtadha", "Rasool": "Rasul", "Jasim": "Jassim",
            "Zahra": "Zahraa", "Laila": "Layla"},
    "BGD": {"Muhammad": "Mohammad", "Hussain": "Hossain", "Rehman": "Rahman",
            "Massoud": "Masud", "Hassan": "Hasan", "Fatima": "Fatema",
            "Nasreen": "Nasrin", "Akhtar": "Akter", "Ahmad": "Ahmed"},
}
NAT_SPELL["SYR"] = NAT_SPELL["IRQ"]
NAT_SPELL["MMR"] = dict(NAT_SPELL["BGD"], Muhammad="Mohammed")


def _respell(name, m):
    return " ".join(m.get(a, a) for a in name.split(" ")) if name else name


for _nat, _p in POOL.items():
    _m = NAT_SPELL.get(_nat, {})
    for _k in ("male", "female", "family", "family_f"):
        if _p.get(_k):
            _p[_k] = [_respell(x, _m) for x in _p[_k]]
    _p["father_prefix"] = [(_respell(x, _m), w) for x, w in _p["father_prefix"]]
    _p["common"] = [((_respell(g, _m), _respell(f, _m)), w) for (g, f), w in _p["common"]]
    _p["common_f"] = [((_respell(g, _m), _respell(f, _m)), w) for (g, f), w in _p["common_f"]]
    if _p.get("compound_given"):
        _p["compound_given"] = (_respell(_p["compound_given"][0], _m), _p["compound_given"][1])
    _p["W_male"] = zipf(_p["male"])
    _p["W_female"] = zipf(_p["female"])
    _p["W_family"] = zipf(_p["family"])
    _p["W_family_f"] = zipf(_p["family_f"]) if _p.get("family_f") else None
    _p["W_fprefix"] = W(_p["father_prefix"])
    _p["W_father"] = zipf(_p["male"], 0.45)
    _p["W_common"] = W(_p["common"])
    _p["W_common_f"] = W(_p["common_f"])
    # names of common-name groups beyond the listed ones: top given x top family
    _p["W_top_given"] = zipf([x for x in _p["male"] if " " not in x][:10], 0.5)
    _p["W_top_given_f"] = zipf(_p["female"][:8], 0.5)
    _p["W_top_family"] = zipf(_p["family"][:10], 0.5)
    _p["W_top_family_f"] = zipf((_p.get("family_f") or _p["family"])[:8], 0.5)

# near-duplicate family names that are DIFFERENT names (nisba vs plain)
NISBA_TWIN = {"Ahmadi": "Ahmad", "Karimi": "Karim", "Rahimi": "Rahim",
              "Mohammadi": "Muhammad", "Hosseini": "Hussain", "Rezaei": "Reza",
              "Jafari": "Jafar", "Haidari": "Haider"}

# --------------------------------------------------------------------------
# countries, agencies, places
# --------------------------------------------------------------------------
AGENCIES = {
    "PAK": [
        ("FIA Islamabad Zone", "FIAISB", [("airport", "PK-IS", "Islamabad", "Islamabad International Airport"), ("inland", "PK-IS", "Islamabad", "")]),
        ("FIA Lahore Zone", "FIALHR", [("airport", "PK-PB", "Lahore", "Allama Iqbal International Airport"), ("inland", "PK-PB", "Gujranwala", ""), ("inland", "PK-PB", "Sialkot", ""), ("land_border", "PK-PB", "Wagah", "Wagah")]),
        ("FIA Karachi Zone", "FIAKHI", [("airport", "PK-SD", "Karachi", "Jinnah International Airport"), ("seaport", "PK-SD", "Karachi", "Karachi Port"), ("inland", "PK-SD", "Karachi", "")]),
        ("FIA Quetta Zone", "FIAQTA", [("land_border", "PK-BA", "Taftan", "Taftan"), ("land_border", "PK-BA", "Chaman", "Chaman"), ("inland", "PK-BA", "Quetta", ""), ("seaport", "PK-BA", "Gwadar", "Gwadar Port")]),
        ("FIA Peshawar Zone", "FIAPEW", [("land_border", "PK-KP", "Torkham", "Torkham"), ("airport", "PK-KP", "Peshawar", "Bacha Khan International Airport"), ("inland", "PK-KP", "Peshawar", "")]),
        ("Balochistan Levies Force", "LEVIES", [("land_border", "PK-BA", "Mashkel", "Mashkel"), ("inland", "PK-BA", "Turbat", ""), ("inland", "PK-BA", "Panjgur", "")]),
        ("Punjab Police", "PBPOL", [("inland", "PK-PB", "Mandi Bahauddin", ""), ("inland", "PK-PB", "Gujrat", ""), ("inland", "PK-PB", "Rawalpindi", "")]),
        ("Sindh Police", "SDPOL", [("inland", "PK-SD", "Hyderabad", ""), ("inland", "PK-SD", "Karachi", "")]),
    ],
    "AFG": [
        ("Ministry of Interior, Border Police Herat", "ABPHER", [("land_border", "AF-HER", "Islam Qala", "Islam Qala"), ("inland", "AF-HER", "Herat", "")]),
        ("Ministry of Interior, Border Police Nimroz", "ABPNIM", [("land_border", "AF-NIM", "Zaranj", "Zaranj-Milak"), ("inland", "AF-NIM", "Zaranj", "")]),
        ("Border Police Kandahar", "ABPKAN", [("land_border", "AF-KAN", "Spin Boldak", "Spin Boldak"), ("inland", "AF-KAN", "Kandahar", "")]),
        ("Border Police Nangarhar", "ABPNAN", [("land_border", "AF-NAN", "Torkham", "Torkham"), ("inland", "AF-NAN", "Jalalabad", "")]),
        ("Afghan National Police, Kabul", "ANPKBL", [("inland", "AF-KAB", "Kabul", ""), ("airport", "AF-KAB", "Kabul", "Kabul International Airport")]),
        ("MoI Counter-Trafficking Directorate", "MOICTD", [("inland", "AF-KAB", "Kabul", ""), ("inland", "AF-BAL", "Mazar-i-Sharif", ""), ("online", "", "", "")]),
    ],
    "IRN": [
        ("FARAJA Border Guard, Sistan and Baluchestan", "BGSB", [("land_border", "IR-11", "Mirjaveh", "Mirjaveh"), ("land_border", "IR-11", "Milak", "Milak"), ("inland", "IR-11", "Zahedan", "")]),
        ("FARAJA Border Guard, Khorasan Razavi", "BGKR", [("land_border", "IR-09", "Dogharoun", "Dogharoun"), ("inland", "IR-09", "Mashhad", "")]),
        ("FARAJA Border Guard, West Azerbaijan", "BGWA", [("land_border", "IR-04", "Bazargan", "Bazargan"), ("land_border", "IR-04", "Sero", "Sero"), ("inland", "IR-04", "Maku", "")]),
        ("FARAJA Police, Tehran", "POLTEH", [("inland", "IR-23", "Tehran", ""), ("airport", "IR-23", "Tehran", "Imam Khomeini International Airport")]),
        ("FARAJA Passport and Immigration Police", "PAPIR", [("airport", "IR-23", "Tehran", "Imam Khomeini International Airport"), ("inland", "IR-10", "Isfahan", ""), ("inland", "IR-07", "Shiraz", "")]),
        ("FARAJA Police, Kerman", "POLKER", [("inland", "IR-08", "Kerman", ""), ("inland", "IR-08", "Bam", "")]),
        ("FARAJA Border Guard, Hormozgan", "BGHOR", [("seaport", "IR-22", "Bandar Abbas", "Shahid Rajaee Port"), ("at_sea", "IR-22", "Strait of Hormuz", "")]),
    ],
    "IRQ": [
        ("MoI Directorate of Residency Affairs", "RESID", [("inland", "IQ-BG", "Baghdad", ""), ("inland", "IQ-NA", "Najaf", ""), ("inland", "IQ-KA", "Karbala", "")]),
        ("Border Ports Commission", "BPC", [("land_border", "IQ-DI", "Mandali", "Mandali"), ("land_border", "IQ-WA", "Zurbatiyah", "Zurbatiyah"), ("land_border", "IQ-BA", "Shalamcheh", "Shalamcheh"), ("seaport", "IQ-BA", "Umm Qasr", "Umm Qasr Port")]),
        ("Kurdistan Region Asayish, Erbil", "ASYERB", [("inland", "IQ-AR", "Erbil", ""), ("airport", "IQ-AR", "Erbil", "Erbil International Airport"), ("land_border", "IQ-DA", "Zakho", "Ibrahim Khalil")]),
        ("Baghdad Police Command", "BGDPOL", [("inland", "IQ-BG", "Baghdad", ""), ("airport", "IQ-BG", "Baghdad", "Baghdad International Airport")]),
        ("MoI Anti-Trafficking Directorate", "IQATD", [("inland", "IQ-BG", "Baghdad", ""), ("online", "", "", "")]),
        ("Basra Police Command", "BSRPOL", [("inland", "IQ-BA", "Basra", ""), ("airport", "IQ-BA", "Basra", "Basra International Airport")]),
    ],
    "BGD": [
        ("Bangladesh Police CID", "CID", [("inland", "BD-13", "Dhaka", ""), ("online", "", "", "")]),
        ("Rapid Action Battalion", "RAB", [("inland", "BD-13", "Dhaka", ""), ("inland", "BD-10", "Chattogram", ""), ("inland", "BD-22", "Jashore", "")]),
        ("Border Guard Bangladesh", "BGB", [("land_border", "BD-22", "Benapole", "Benapole"), ("land_border", "BD-04", "Akhaura", "Akhaura"), ("land_border", "BD-58", "Satkhira", "Bhomra")]),
        ("Immigration Police, Dhaka Airport", "SBIMM", [("airport", "BD-13", "Dhaka", "Hazrat Shahjalal International Airport")]),
        ("Cox's Bazar District Police", "CXBPOL", [("inland", "BD-11", "Cox's Bazar", ""), ("seaport", "BD-11", "Teknaf", "Teknaf"), ("at_sea", "BD-11", "Bay of Bengal", "")]),
        ("Bangladesh Coast Guard", "BCG", [("at_sea", "BD-11", "Bay of Bengal", ""), ("at_sea", "BD-10", "Bay of Bengal", "")]),
        ("Dhaka Metropolitan Police", "DMP", [("inland", "BD-13", "Dhaka", "")]),
    ],
    "TUR": [
        ("Jandarma Genel Komutanlığı, Van", "JNDVAN", [("land_border", "TR-65", "Kapıköy", "Kapıköy"), ("inland", "TR-65", "Van", ""), ("inland", "TR-65", "Çaldıran", "")]),
        ("Jandarma, Ağrı", "JNDAGR", [("land_border", "TR-04", "Doğubayazıt", "Gürbulak"), ("inland", "TR-04", "Doğubayazıt", "")]),
        ("Emniyet Genel Müdürlüğü, Göçmen Kaçakçılığı", "EGMGKM", [("inland", "TR-34", "İstanbul", ""), ("inland", "TR-06", "Ankara", ""), ("online", "", "", "")]),
        ("Sahil Güvenlik Komutanlığı", "SGK", [("at_sea", "TR-35", "Çeşme", ""), ("at_sea", "TR-48", "Bodrum", ""), ("seaport", "TR-35", "İzmir", "İzmir Limanı")]),
        ("Göç İdaresi, İstanbul", "GIBIST", [("inland", "TR-34", "İstanbul", ""), ("airport", "TR-34", "İstanbul", "İstanbul Havalimanı")]),
        ("Jandarma, Edirne", "JNDEDR", [("land_border", "TR-22", "Edirne", "Pazarkule"), ("inland", "TR-22", "Edirne", "")]),
    ],
}

NATIONALITY = W([("AFG", 30), ("PAK", 24), ("BGD", 14), ("IRN", 10), ("IRQ", 10),
                 ("TUR", 5), ("SYR", 4), ("MMR", 3)])

# journeys: the countries whose agencies record a person, in time order
ROUTES = {
    "AFG": W([(("AFG", "IRN", "TUR"), 28), (("AFG", "PAK"), 14), (("PAK", "AFG"), 10),
              (("IRN", "AFG", "IRN"), 15), (("AFG", "PAK", "IRN", "TUR"), 12),
              (("IRN", "TUR"), 9), (("AFG",), 5), (("PAK",), 4), (("IRN",), 3)]),
    "PAK": W([(("PAK",), 35), (("PAK", "IRN", "TUR"), 22), (("PAK", "IRN"), 15),
              (("IRN", "PAK"), 10), (("PAK", "IRQ"), 8), (("PAK", "AFG"), 5),
              (("TUR", "PAK"), 5)]),
    "BGD": W([(("BGD",), 55), (("BGD", "IRQ"), 8), (("BGD", "TUR"), 7),
              (("BGD", "IRN", "TUR"), 5), (("IRQ", "BGD"), 10), (("TUR", "BGD"), 10),
              (("BGD", "PAK"), 5)]),
    "IRN": W([(("IRN",), 45), (("IRN", "TUR"), 35), (("TUR", "IRN"), 10), (("IRN", "IRQ"), 10)]),
    "IRQ": W([(("IRQ",), 50), (("IRQ", "TUR"), 35), (("TUR", "IRQ"), 10), (("IRN", "IRQ"), 5)]),
    "TUR": W([(("TUR",), 85), (("TUR", "IRQ"), 8), (("TUR", "IRN"), 7)]),
    "SYR": W([(("TUR",), 60), (("IRQ", "TUR"), 25), (("IRQ",), 15)]),
    "MMR": W([(("BGD",), 80), (("BGD", "PAK"), 10), (("PAK",), 10)]),
}

DESTINATIONS = {
    "PAK": W([("TUR", 5), ("GRC", 4), ("ITA", 3), ("ARE", 4), ("SAU", 4), ("OMN", 2), ("GBR", 2)]),
    "AFG": W([("IRN", 8), ("TUR", 5), ("PAK", 3), ("DEU", 2)]),
    "IRN": W([("TUR", 6), ("GRC", 3), ("DEU", 2), ("IRN", 3), ("GBR", 1)]),
    "IRQ": W([("TUR", 5), ("DEU", 3), ("BLR", 1), ("GBR", 2), ("IRQ", 2)]),
    "BGD": W([("MYS", 4), ("ARE", 3), ("SAU", 4), ("ITA", 2), ("LBY", 2), ("IND", 3)]),
    "TUR": W([("GRC", 6), ("BGR", 3), ("ITA", 2), ("DEU", 3)]),
}
TRANSIT = {"PAK": ["IRN", "TUR"], "AFG": ["PAK", "IRN"], "IRN": ["TUR"],
           "IRQ": ["TUR", "BLR"], "BGD": ["IND", "ARE", "LBY"], "TUR": ["GRC", "BGR"]}

EXPLOIT = W([("forced_labour", 35), ("sexual_exploitation", 25), ("domestic_servitude", 10),
             ("forced_marriage", 10), ("forced_begging", 8), ("forced_criminality", 4),
             ("organ_removal", 2), ("child_soldiering", 1), ("illegal_adoption", 1),
             ("other", 4)])
EXPLOIT_F = W([("sexual_exploitation", 40), ("domestic_servitude", 20),
               ("forced_marriage", 20), ("forced_labour", 15), ("other", 5)])
EXPLOIT_CHILD = W([("forced_begging", 35), ("forced_labour", 35), ("forced_marriage", 10),
                   ("sexual_exploitation", 10), ("child_soldiering", 5),
                   ("illegal_adoption", 5)])
REFERRAL_V = W([("shelter", 25), ("mrc", 15), ("ngo", 20), ("medical", 10), ("legal", 5),
                ("none", 15), ("unknown", 10)])
STAGE_CRIME = W([("detected", 15), ("registered", 25), ("under_investigation", 25),
                 ("charged", 10), ("prosecuted", 10), ("convicted", 8), ("acquitted", 3),
                 ("closed", 4)])
STAGE_IRREG = W([("detected", 30), ("registered", 30), ("closed", 40)])
IRREG_OFF = W([("IRREGULAR_ENTRY", 50), ("IRREGULAR_STAY", 25), ("IRREGULAR_EXIT", 15),
               ("DOCUMENT_FRAUD", 10)])
SUSPECT_OFF = W([("SOM", 55), ("THB", 30), ("DOCUMENT_FRAUD", 15)])
INC_SIZE = W([(1, 32), (2, 20), (3, 12), (4, 8), (5, 6), (6, 5), (8, 5), (10, 4), (15, 4),
              (25, 3), (40, 1)])
RECS_PER_PERSON = W([(1, 45), (2, 25), (3, 15), (4, 15)])

# --------------------------------------------------------------------------
# identity documents
# --------------------------------------------------------------------------
def iran_check(d9):
    s = sum(int(d9[i]) * (10 - i) for i in range(9))
    r = s % 11
    return str(r if r < 2 else 11 - r)


def iran_code(rng):
    while True:
        d9 = "%03d%06d" % (rng.randrange(1, 1000), rng.randrange(0, 1000000))
        c = d9 + iran_check(d9)
        if len(set(c)) > 1:
            return c


def tc_kimlik(rng):
    d = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(8)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d.append(d10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


CNIC_PROV = W([("3", 45), ("4", 20), ("1", 15), ("5", 7), ("6", 5), ("2", 4), ("7", 4)])


def cnic(rng, sex):
    last = rng.choice("13579" if sex == "male" else "2468")
    return "%s%04d-%07d-%s" % (CNIC_PROV.pick(rng), rng.randrange(10000),
                               rng.randrange(10000000), last)


def passport(rng, nat):
    U = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if nat in ("PAK", "BGD"):
        return rng.choice(U) + rng.choice(U) + "%07d" % rng.randrange(10000000)
    if nat == "AFG":
        return "P%08d" % rng.randrange(100000000)
    if nat == "TUR":
        return "U%08d" % rng.randrange(100000000)
    return rng.choice(U) + "%08d" % rng.randrange(100000000)


def tazkira(rng):
    if rng.random() < 0.4:      # electronic tazkira: Jalali year - 4 - 5 digits
        return "E", "%d-%04d-%05d" % (rng.randrange(1396, 1403), rng.randrange(10000),
                                      rng.randrange(100000))
    # paper tazkira: volume / page / registration number
    return "P", "%d-%d-%d" % (rng.randrange(1, 900), rng.randrange(1, 300),
                              rng.randrange(1, 99999))


def nid_bd(rng, birth_year):
    r = rng.random()
    if r < 0.45:
        return "%d%09d" % (rng.randrange(1, 10), rng.randrange(10 ** 9))
    if r < 0.75:
        return "%02d%011d" % (rng.randrange(10, 70), rng.randrange(10 ** 11))
    return "%04d%013d" % (birth_year, rng.randrange(10 ** 13))


def doc_typo(rng, dtype, num):
    """One mistyped character; result stays format-valid for its type."""
    digits = [i for i, ch in enumerate(num) if ch.isdigit()]
    if dtype == "cnic":
        digits = [i for i in digits if i not in (0, len(num) - 1)]
    elif dtype == "iran_national_code":
        digits = digits[:9]
    if not digits:
        return num
    s = list(num)
    if rng.random() < 0.5 and len(digits) > 1:
        j = rng.randrange(len(digits) - 1)
        a, b = digits[j], digits[j + 1]
        if b == a + 1 and s[a] != s[b]:
            s[a], s[b] = s[b], s[a]
        else:
            s[a] = str((int(s[a]) + rng.randrange(1, 10)) % 10)
    else:
        i = rng.choice(digits)
        s[i] = str((int(s[i]) + rng.randrange(1, 10)) % 10)
    out = "".join(s)
    if dtype == "iran_national_code":
        out = out[:9] + iran_check(out[:9])
        if len(set(out)) == 1:
            return num
    if dtype == "nid_bd" and out[0] == "0" and len(out) == 10:
        return num
    return out


def tazkira_format(rng, kind, num):
    """Same Tazkira number written differently."""
    r = rng.random()
    if r < 0.55:
        return num
    if r < 0.8:
        return num.replace("-", "" if kind == "E" else "/")
    return num.replace("-", " ")


# --------------------------------------------------------------------------
# generator
# --------------------------------------------------------------------------
class Entity:
    __slots__ = ("eid", "nat", "sex", "given", "family", "father", "dob", "dob_kind",
                 "docs", "role", "exploit", "pref", "kind", "gid", "nrec",
                 "father_cnic", "m0")


def days_in_month(y, m):
    if m == 12:
        return 31
    return (dt.date(y, m + 1, 1) - dt.date(y, m, 1)).days


def age_at(dob, d):
    return d.year - dob.year - ((d.month, d.day) < (dob.month, dob.day))


class Generator:
    def __init__(self, seed, rows, outdir, split):
        self.rng = random.Random(seed)
        self.seed = seed
        self.rows = rows
        self.outdir = outdir
        self.split = split
        self.eid = 0
        self.row_counter = 0
        self.incidents = []
        self.open = {}
        self.passport_pool = []
        M = 99999989
        self.pid_mul = 1 + self.rng.randrange(M - 2)
        self.pid_add = self.rng.randrange(M)
        self.inc_mul = 1 + self.rng.randrange(9999991 - 2)
        self.inc_add = self.rng.randrange(9999991)
        self.tmpdir = os.path.join(outdir, ".tmp_regional_persons")
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        os.makedirs(self.tmpdir)
        self.tmp_files = []
        self.tmp_writers = []
        for m in range(N_MONTHS):
            f = open(os.path.join(self.tmpdir, "m%03d.csv" % m), "w", newline="",
                     encoding="utf-8")
            self.tmp_files.append(f)
            self.tmp_writers.append(csv.writer(f))
        self.ent_file = open(os.path.join(outdir, "entities.csv"), "w", newline="",
                             encoding="utf-8")
        self.ent_writer = csv.writer(self.ent_file, lineterminator="\r\n")
        self.ent_writer.writerow(["entity_id", "nationality", "sex", "group_kind",
                                  "group_id", "records"])
        # statistics
        self.st = Counter()
        self.canon_key_count = Counter()
        self.year_key_count = Counter()
        self.day_key_count = Counter()
        self.group_sizes = Counter()
        self.common_pairs_ent = 0
        self.common_pairs_rec = 0
        self.sib_pairs_ent = 0
        self.sib_pairs_rec = 0
        self.ent_sizes = Counter()
        self.nat_count = Counter()

    # ---- names -----------------------------------------------------------
    def latin(self, name, nat):
        """A romanisation of a canonical name (possibly the canonical one).
        Abbreviations of Muhammad (Md., Mohd, M.) only in South Asian records."""
        rng = self.rng
        abbr_ok = nat in ("PAK", "BGD", "MMR")
        if not name:
            return name
        k = CLASS_OF.get(name)
        if k is not None and " " in k and rng.random() < 0.5:
            return CLASS_W[k].pick(rng)
        out = []
        for a in name.split(" "):
            if a.startswith("al-"):
                core = a[3:]
                c2 = CLASS_OF.get(core)
                core = CLASS_W[c2].pick(rng) if c2 is not None else core
                r = rng.random()
                if r < 0.40:
                    out.append("al-" + core)
                elif r < 0.60:
                    out.append("Al-" + core)
                elif r < 0.72:
                    out.append("Al " + core)
                elif r < 0.80:
                    out.append("Al" + core.lower())
                elif r < 0.86:
                    out.append("el-" + core)
                else:
                    out.append(core)
                continue
            k = CLASS_OF.get(a)
            if k is None:
                out.append(a)
                continue
            v = CLASS_W[k].pick(rng)
            if not abbr_ok and v in ABBREVIATIONS:
                v = a
            out.append(v)
        return " ".join(out)

    def pa(self, name, female=False):
        """Perso-Arabic spelling (Persian letters) or None."""
        if not name:
            return ""
        rng = self.rng
        k = CLASS_OF.get(name, name)
        whole = PA.get(k) if " " in name else None
        s = None
        if whole is not None and rng.random() < 0.7:
            s = whole
        else:
            parts = []
            for a in name.split(" "):
                pre = ""
                if a.startswith("al-"):
                    a = a[3:]
                    pre = "ال" if rng.random() < 0.9 else ""
                v = PA.get(CLASS_OF.get(a, a))
                if v is None:
                    parts = None
                    break
                parts.append(pre + v)
            s = " ".join(parts) if parts is not None else whole
            if s is None:
                return None
        if "\u200c" in s:
            r = rng.random()
            if r < 0.25:
                s = s.replace("\u200c", "")
            elif r < 0.4:
                s = s.replace("\u200c", " ")
        return s

    def bn(self, name):
        if not name:
            return ""
        rng = self.rng
        k = CLASS_OF.get(name, name)
        parts = None
        if k in BN:
            parts = [BN[k]]
        else:
            parts = []
            for a in name.split(" "):
                v = BN.get(CLASS_OF.get(a, a))
                if v is None:
                    return None
                parts.append(v)
        return " ".join(p if isinstance(p, str) else rng.choice(p) for p in parts)

    def typo(self, s):
        rng = self.rng
        letters = [i for i, ch in enumerate(s) if ch.isalpha()]
        if len(letters) < 4:
            return s
        op = rng.random()
        i = rng.choice(letters[1:])            # keep the initial
        if op < 0.25:                          # deletion (never a final nisba -i/-y)
            if i == len(s) - 1 and s[i] in "iyIY":
                i = letters[len(letters) // 2]
            return s[:i] + s[i + 1:]
        if op < 0.5:                           # insertion (doubling or random)
            ch = s[i] if rng.random() < 0.6 else rng.choice("aeiounrhsl")
            return s[:i] + ch + s[i:]
        if op < 0.75:                          # substitution
            ch = rng.choice("aeioukhdtnrsmlz")
            if s[i].isupper():
                ch = ch.upper()
            return s[:i] + ch + s[i + 1:]
        j = i - 1                              # transposition with the previous letter
        if j < 1 or not s[j].isalpha():
            return s
        return s[:j] + s[i] + s[j] + s[i + 1:]

    def make_name(self, pool, sex):
        """Canonical (given, family) for a new random person."""
        rng = self.rng
        if sex == "female":
            g = pool["W_female"].pick(rng)
            wf = pool["W_family_f"] if pool["W_family_f"] and rng.random() < 0.6 else pool["W_family"]
            f = wf.pick(rng)
        else:
            g = pool["W_male"].pick(rng)
            cg = pool["compound_given"]
            if cg and g not in (cg[0],) and " " not in g and rng.random() < cg[1]:
                g = cg[0] + " " + g
            f = pool["W_family"].pick(rng)
        for _ in range(5):            # "Hassan Hassan" as given and family is rare
            if key_of(f) != key_of(g.split(" ")[-1]):
                break
            f = pool["W_family"].pick(rng)
        return g, f

    def make_father(self, pool, avoid=()):
        rng = self.rng
        for _ in range(20):
            base = pool["W_father"].pick(rng)
            pre = pool["W_fprefix"].pick(rng)
            if pre and " " not in base and pre != base:
                nm = pre + " " + base
            else:
                nm = base
            if nm not in avoid:
                return nm
        return nm

    # ---- entities ----------------------------------------------------------
    def new_entity(self, nat, sex, given, family, father, dob, kind, gid):
        rng = self.rng
        e = Entity()
        self.eid += 1
        e.eid = "E%07d" % self.eid
        e.nat, e.sex, e.given, e.family, e.father = nat, sex, given, family, father
        e.dob = dob
        pool = POOL[nat]
        r = rng.random()
        p_year = {"AFG": 0.55, "BGD": 0.3, "PAK": 0.3, "IRQ": 0.25, "IRN": 0.12,
                  "TUR": 0.08, "SYR": 0.3, "MMR": 0.6}[nat]
        e.dob_kind = "none" if r < 0.08 else ("year" if r < 0.08 + p_year else "exact")
        # preferred spellings (the person's own, e.g. on a passport)
        e.pref = tuple(nm if (rng.random() < 0.7 or pool["script"] is None and nat == "TUR")
                       else self.latin(nm, nat) for nm in (given, family, father))
        e.kind, e.gid = kind, gid
        e.m0 = 0
        e.father_cnic = None
        # role
        r = rng.random()
        if sex == "female":
            e.role = "victim" if r < 0.45 else ("smuggled_migrant" if r < 0.7 else (
                "irregular_migrant" if r < 0.95 else "suspect"))
        else:
            e.role = "victim" if r < 0.12 else ("smuggled_migrant" if r < 0.45 else (
                "irregular_migrant" if r < 0.86 else "suspect"))
        e.exploit = None
        # documents
        by = dob.year
        docs = []
        adult = (2020 - by) >= 18
        if nat == "PAK" and adult and rng.random() < 0.65:
            docs.append(("cnic", cnic(rng, sex)))
        if nat == "AFG" and rng.random() < 0.5:
            kind_t, num = tazkira(rng)
            docs.append(("tazkira", num, kind_t))
        if nat == "AFG" and rng.random() < 0.2:
            docs.append(("refugee_card", "%010d" % rng.randrange(10 ** 10)))
        if nat == "IRN" and rng.random() < 0.8:
            docs.append(("iran_national_code", iran_code(rng)))
        if nat == "BGD" and adult and rng.random() < 0.6:
            docs.append(("nid_bd", nid_bd(rng, by)))
            if rng.random() < 0.12:    # old and new (smart card) number
                docs.append(("nid_bd", nid_bd(rng, by)))
        if nat == "IRQ" and rng.random() < 0.5:
            docs.append(("national_id", "%012d" % rng.randrange(10 ** 11, 10 ** 12)))
        if nat == "TUR" and rng.random() < 0.85:
            docs.append(("national_id", tc_kimlik(rng)))
        p_pass = {"PAK": 0.35, "BGD": 0.45, "AFG": 0.15, "IRN": 0.35, "IRQ": 0.4,
                  "TUR": 0.4, "SYR": 0.3, "MMR": 0.02}[nat]
        if adult and rng.random() < p_pass:
            docs.append(("passport", passport(rng, nat)))
            if rng.random() < 0.1:         # renewed passport
                docs.append(("passport", passport(rng, nat)))
        e.docs = docs
        self.nat_count[nat] += 1
        return e

    def random_dob(self, base_year, role):
        rng = self.rng
        if role == "suspect":
            age = int(rng.triangular(20, 62, 32))
        elif role == "victim":
            age = int(rng.triangular(6, 45, 19))
        else:
            age = int(rng.triangular(14, 50, 23))
        y = base_year - age
        m = rng.randrange(1, 13)
        d = rng.randrange(1, days_in_month(y, m) + 1)
        return dt.date(y, m, d)

    # ---- records ------------------------------------------------------------
    def plan_months(self, k, hint):
        rng = self.rng
        gaps = [1 + min(int(rng.expovariate(1 / 8.0)), 40) for _ in range(k - 1)]
        span = sum(gaps)
        if span > N_MONTHS - 1:
            gaps = [1] * (k - 1)
            span = k - 1
        m0 = min(max(hint, 0), N_MONTHS - 1 - span)
        months = [m0]
        for g in gaps:
            months.append(months[-1] + g)
        return months

    def offence_for(self, role):
        rng = self.rng
        if role == "victim":
            return "THB"
        if role == "smuggled_migrant":
            return "SOM"
        if role == "irregular_migrant":
            return IRREG_OFF.pick(rng)
        return SUSPECT_OFF.pick(rng)

    def new_incident(self, cc, ag, month, offence):
        rng = self.rng
        y = FIRST_YEAR + month // 12
        mo = month % 12 + 1
        day = rng.randrange(1, days_in_month(y, mo) + 1)
        idx = len(self.incidents)
        num = (self.inc_mul * idx + self.inc_add) % 9999991
        iid = "%s-%04d-%s-%07d" % (cc, y, AGENCIES[cc][ag][1], num)
        place = rng.randrange(len(AGENCIES[cc][ag][2]))
        # [id, cc, ag, date, offence, place, nv, ns, ni, nsus, forms, origin]
        self.incidents.append([iid, cc, ag, dt.date(y, mo, day), offence, place,
                               0, 0, 0, 0, None, None])
        return idx

    def incident_for(self, cc, ag, month, offence):
        key = (cc, ag, month, offence)
        o = self.open.get(key)
        if o is None or o[1] <= 0:
            o = [self.new_incident(cc, ag, month, offence), INC_SIZE.pick(self.rng)]
            self.open[key] = o
        o[1] -= 1
        return o[0]

    def record_roles(self, e, k):
        rng = self.rng
        roles = []
        for _ in range(k):
            r = rng.random()
            role = e.role
            if e.role in ("smuggled_migrant", "irregular_migrant"):
                if r < 0.22:
                    role = "irregular_migrant" if e.role == "smuggled_migrant" else "smuggled_migrant"
                elif r < 0.25:
                    role = "victim"
                elif r < 0.26:
                    role = "suspect"
            elif e.role == "victim":
                if r < 0.15:
                    role = "smuggled_migrant"
                elif r < 0.20:
                    role = "irregular_migrant"
            elif e.role == "suspect":
                if r < 0.06:
                    role = "smuggled_migrant"
            roles.append(role)
        return roles

    def gen_entity_records(self, e, forced_first=None):
        """Creates e.nrec records for entity e; forced_first = incident index
        (co-travelling siblings share their first incident)."""
        rng = self.rng
        k = e.nrec
        months = self.plan_months(k, e.m0)
        route = ROUTES[e.nat].pick(rng)
        stops = sorted(rng.randrange(len(route)) for _ in range(k))
        countries = [route[s] for s in stops]
        roles = self.record_roles(e, k)
        if forced_first is not None:
            inc = self.incidents[forced_first]
            months[0] = (inc[3].year - FIRST_YEAR) * 12 + inc[3].month - 1
            # keep later months strictly after it
            for i in range(1, k):
                if months[i] <= months[i - 1]:
                    months[i] = months[i - 1] + 1
            if months[-1] >= N_MONTHS:
                k = e.nrec = sum(1 for m in months if m < N_MONTHS)
                months = months[:k]
            countries[0] = inc[1]
            off = inc[4]
            roles[0] = {"THB": "victim", "SOM": "smuggled_migrant"}.get(off, "irregular_migrant")
        first = dt.date(FIRST_YEAR + months[0] // 12, months[0] % 12 + 1, 1)
        while age_at(e.dob, first) < 4:          # nobody is recorded before birth
            e.dob = dt.date(e.dob.year - 1, e.dob.month, min(e.dob.day, 28))
        if e.role == "victim" or "victim" in roles:
            age0 = FIRST_YEAR + months[0] // 12 - e.dob.year
            if e.sex == "female" and age0 >= 14:
                e.exploit = EXPLOIT_F.pick(rng)
            elif age0 < 16:
                e.exploit = EXPLOIT_CHILD.pick(rng)
            else:
                e.exploit = EXPLOIT.pick(rng)
        recs = []
        for i in range(k):
            cc = countries[i]
            if i == 0 and forced_first is not None:
                ii = forced_first
            else:
                ag = rng.randrange(len(AGENCIES[cc]))
                ii = self.incident_for(cc, ag, months[i], self.offence_for(roles[i]))
            inc = self.incidents[ii]
            if inc[4] == "THB" and roles[i] not in ("victim", "suspect"):
                roles[i] = "victim"
            recs.append(self.person_row(e, inc, roles[i], months[i]))
        self.ent_sizes[k] += 1
        self.ent_writer.writerow((e.eid, e.nat, e.sex, e.kind or "", e.gid or "", k))
        ck = (e.nat, e.given, e.family)       # 64-bit hashes keep memory small
        self.canon_key_count[hash(ck)] += 1
        self.year_key_count[hash(ck + (e.father, e.dob.year))] += 1
        self.day_key_count[hash(ck + (e.father, e.dob.toordinal()))] += 1
        return recs

    def person_row(self, e, inc, role, month):
        rng = self.rng
        cc = inc[1]
        idate = inc[3]
        nat = e.nat
        pool = POOL[nat]
        # counts on the incident
        if role == "victim":
            inc[6] += 1
            f = e.exploit or EXPLOIT.pick(rng)
            if inc[10] is None:
                inc[10] = set()
            inc[10].add(f)
        elif role == "smuggled_migrant":
            inc[7] += 1
        elif role == "irregular_migrant":
            inc[8] += 1
        else:
            inc[9] += 1
        if inc[11] is None:
            inc[11] = nat
        # ---- script choice
        script = "latin"
        r = rng.random()
        ps = pool["script"]
        if ps in ("fa", "ur", "ar"):
            if cc == "IRN" and r < 0.6 or cc == "AFG" and r < 0.45 or \
               cc == "IRQ" and r < 0.5 or cc == "PAK" and r < 0.08:
                script = {"IRN": "fa", "AFG": "fa", "IRQ": "ar", "PAK": "ur"}[cc]
        elif ps == "bn" and cc == "BGD" and r < 0.2:
            script = "bn"
        female = e.sex == "female"
        g_c, f_c, fa_c = e.given, e.family, e.father
        # Afghans without surname: blank or father's name as surname
        no_surname = not f_c
        if no_surname:
            if rng.random() < 0.5:
                f_c = fa_c
        rec_father = rng.random() < {"PAK": 0.85, "AFG": 0.85, "IRN": 0.65, "IRQ": 0.8,
                                     "BGD": 0.7, "TUR": 0.7}[cc]
        given = family = father = None
        if script != "latin":
            conv = self.pa if script in ("fa", "ur", "ar") else self.bn
            given, family, father = conv(g_c), conv(f_c), conv(fa_c)
            if given is None or family is None or father is None:
                script = "latin"
            else:
                if script == "ar":
                    given, family, father = (s.translate(TO_ARABIC) for s in (given, family, father))
                    if female and given.endswith("ه"):
                        given = given[:-1] + "ة"
                elif script == "ur":
                    given, family, father = (s.translate(TO_URDU) for s in (given, family, father))
                else:
                    given, family, father = (s.translate(TO_PERSIAN) for s in (given, family, father))
                if rng.random() < 0.01:
                    given = given[:-1] if len(given) > 3 else given   # a dropped letter
                if rec_father and father and rng.random() < 0.3:
                    pre = {"fa": "فرزند " if rng.random() < 0.5 else "ولد ", "ar": "بنت " if female else "بن ",
                           "ur": "دختر " if female else "ولد ", "bn": "পিতা: "}[script]
                    father = pre + father
        if script == "latin":
            pg, pf, pfa = e.pref
            if no_surname and f_c:
                pf = pfa
            given = pg if rng.random() < 0.6 else self.latin(g_c, nat)
            family = pf if rng.random() < 0.6 else self.latin(f_c, nat)
            father = pfa if rng.random() < 0.6 else self.latin(fa_c, nat)
            if cc == "TUR" and nat not in ("TUR",) and rng.random() < 0.4:
                given = " ".join(TURKIFY.get(key_of(a), a) for a in given.split(" "))
                family = " ".join(TURKIFY.get(key_of(a), a) for a in family.split(" "))
                father = " ".join(TURKIFY.get(key_of(a), a) for a in father.split(" "))
            if nat == "TUR" and (cc != "TUR" and rng.random() < 0.8 or rng.random() < 0.2):
                given, family, father = (s.translate(TR_FOLD) for s in (given, family, father))
            if cc == "BGD" and nat in ("BGD", "MMR") and rng.random() < 0.5:
                parts = given.split(" ")
                if key_of(parts[0]) == "Muhammad":
                    parts[0] = "Md."
                    given = " ".join(parts)
            if rng.random() < 0.06:
                given = self.typo(given)
            if family and rng.random() < 0.06:
                family = self.typo(family)
            if father and rng.random() < 0.05:
                father = self.typo(father)
            if rec_father and father:
                r = rng.random()
                if cc in ("PAK", "BGD") or (cc == "AFG" and r < 0.5):
                    if r < 0.35:
                        father = ("d/o " if female else "s/o ") + father
                    elif r < 0.45:
                        father = ("D/O " if female else "S/O ") + father
                    elif r < 0.5 and not female:
                        father = "son of " + father
                    elif cc == "AFG" and r < 0.6 and not female:
                        father = "walad " + father
                elif cc == "IRQ" and r < 0.15:
                    father = ("bint " if female else ("bin " if r < 0.1 else "ibn ")) + father
            # upper case
            up = {"PAK": 0.3, "TUR": 0.35, "BGD": 0.1}.get(cc, 0.06)
            if rng.random() < up:
                if cc == "TUR":
                    given, family, father = (s.translate(TR_UPPER).upper() for s in (given, family, father))
                else:
                    given, family, father = given.upper(), family.upper(), father.upper()
            if rng.random() < 0.01:
                given = given + " "
            if rng.random() < 0.005:
                family = family.replace(" ", "  ")
        if not rec_father:
            father = ""
        # field-level accidents
        r = rng.random()
        if r < 0.05 and family:
            given, family = family, given
        elif r < 0.08 and family:
            given, family = given + " " + family, ""
        elif r < 0.085:
            given = ""
        # ---- sex
        sex = e.sex
        r = rng.random()
        if r < 0.03:
            sex = "unknown"
        elif r < 0.033:
            sex = "female" if sex == "male" else "male"
        # ---- nationality as recorded
        natr = nat
        r = rng.random()
        if r < 0.02:
            natr = "XXX"
        elif nat == "AFG" and cc == "IRN" and r < 0.04:
            natr = "IRN"
        elif nat == "AFG" and cc == "PAK" and r < 0.03:
            natr = "PAK"
        elif nat == "MMR" and r < 0.45:
            natr = "XXA" if r < 0.35 else "BGD"
        # ---- date of birth / age
        dob, prec, age = self.dob_fields(e, idate)
        # ---- document
        dtype, dnum = self.doc_fields(e, cc, idate)
        # ---- victim details
        ef = ""
        ref = ""
        if role == "victim":
            r = rng.random()
            ef = (e.exploit or "") if r < 0.8 else ("" if r < 0.95 else EXPLOIT.pick(rng))
            ref = REFERRAL_V.pick(rng)
        else:
            r = rng.random()
            ref = "" if r < 0.7 else ("none" if r < 0.9 else "unknown")
        notes = ""
        if rng.random() < 0.05:
            notes = self.person_note(e, inc)
        self.row_counter += 1
        num = (self.pid_mul * self.row_counter + self.pid_add) % 99999989
        pid = "%s-%s-%08d" % (cc, AGENCIES[cc][inc[2]][1], num)
        row = [pid, inc[0], role, family, given, father, sex, dob, prec, age, natr,
               dtype, dnum, ef, ref, notes, e.eid]
        self.tmp_writers[month].writerow(row)
        return pid

    def dob_fields(self, e, idate):
        rng = self.rng
        t = e.dob
        true_age = age_at(t, idate)
        r = rng.random()
        if e.dob_kind == "exact":
            if r < 0.62:
                y, m, d = t.year, t.month, t.day
                if rng.random() < 0.06 and d <= 12 and d != m:
                    m, d = d, m                      # day/month swapped
                elif rng.random() < 0.04:
                    y += rng.choice((-1, 1))        # year off by one
                    if m == 2 and d == 29:
                        d = 28
                elif rng.random() < 0.03:
                    d = max(1, min(28, d + rng.choice((-1, 1, 10, -10))))
                dob = "%04d-%02d-%02d" % (y, m, d)
                prec = "day" if rng.random() < 0.5 else ""
            elif r < 0.70:
                dob, prec = "%04d-01-01" % t.year, ("" if rng.random() < 0.7 else "day")
            elif r < 0.75:
                dob, prec = "%04d" % t.year, "year"
            elif r < 0.80:
                dob, prec = "%04d-%02d" % (t.year, t.month), "month"
            else:
                dob, prec = "", ""
            age_p = 0.35 if dob else 0.9
            age = str(true_age) if rng.random() < age_p else ""
        elif e.dob_kind == "year":
            y = t.year
            if rng.random() < 0.07:
                y += rng.choice((-1, 1))
            if r < 0.30:
                dob, prec = "%04d" % y, "year"
            elif r < 0.58:
                dob, prec = "%04d-01-01" % y, ""
            elif r < 0.68:
                dob, prec = "%04d-01-01" % y, "year"
            elif r < 0.72:
                dob, prec = "%04d-01-01" % y, "day"
            else:
                dob, prec = "", ""
            if dob:
                age = str(idate.year - y - (1 if rng.random() < 0.5 else 0)) if rng.random() < 0.35 else ""
            else:
                age = str(true_age) if rng.random() < 0.9 else ""
        else:   # knows neither: an officer's estimate
            est = max(1, true_age + rng.choice((-2, -1, -1, 0, 0, 0, 0, 1, 1, 2)))
            if r < 0.2:
                dob, prec = "%04d-01-01" % (idate.year - est), ""
                age = str(est) if rng.random() < 0.5 else ""
            else:
                dob, prec = "", ""
                age = str(est) if rng.random() < 0.92 else ""
        if age and int(age) < 0:
            age = "0"
        return dob, prec, age

    def doc_fields(self, e, cc, idate):
        rng = self.rng
        minor = age_at(e.dob, idate) < 18
        docs = e.docs
        if minor and docs:          # CNIC and NID cards are issued at 18
            docs = [d for d in docs if d[0] not in ("cnic", "nid_bd")]
        if e.father_cnic and minor and cc == "PAK" and rng.random() < 0.3:
            return "cnic", e.father_cnic        # child recorded on the father's CNIC
        if docs and rng.random() < (0.6 if cc == e.nat else 0.45):
            if cc == e.nat or len(docs) == 1:
                d = docs[rng.randrange(len(docs))]
            else:
                pp = [x for x in docs if x[0] in ("passport", "refugee_card")]
                d = pp[rng.randrange(len(pp))] if pp and rng.random() < 0.75 else \
                    docs[rng.randrange(len(docs))]
            dtype, num = d[0], d[1]
            if dtype == "tazkira":
                num = tazkira_format(rng, d[2], num)
            if rng.random() < 0.03:
                num = doc_typo(rng, dtype, num)
            if dtype == "passport":
                pool = self.passport_pool
                if len(pool) < 2000:
                    pool.append(num)
                else:
                    pool[rng.randrange(2000)] = num
            return dtype, num
        if self.passport_pool and rng.random() < 0.004:
            # a borrowed / forged passport that belongs to someone else
            return "passport", self.passport_pool[rng.randrange(len(self.passport_pool))]
        r = rng.random()
        if r < 0.6:
            return "", ""
        return ("none", "") if r < 0.85 else ("unknown", "")

    def person_note(self, e, inc):
        rng = self.rng
        cc = inc[1]
        place = AGENCIES[cc][inc[2]][2][inc[5]]
        n = rng.randrange(2, 30)
        t = rng.randrange(7)
        if t == 0:
            return "Intercepted near %s, travelling with %d others" % (place[2] or "the border", n)
        if t == 1:
            return 'Claims to be a minor; "age assessment" requested'
        if t == 2:
            return "Alias: %s" % self.latin(e.given, e.nat)
        if t == 3:
            return "Deported earlier, re-entered.\nInterpreter present"
        if t == 4:
            return 'Said the "agent" kept his passport, promised work in %s' % (
                DESTINATIONS.get(cc, DESTINATIONS["TUR"]).pick(rng))
        if t == 5:
            return "No documents, speaks %s" % {"AFG": "Dari/Pashto", "IRN": "Persian",
                                                 "PAK": "Urdu, Punjabi", "BGD": "Bangla",
                                                 "IRQ": "Arabic, Kurdish", "TUR": "Turkish",
                                                 "SYR": "Arabic", "MMR": "Rohingya"}[e.nat]
        return "Statement recorded, 2 pages"

    # ---- units: single person, common-name group, sibling group -------------
    def unit(self):
        rng = self.rng
        nat = NATIONALITY.pick(rng)
        pool = POOL[nat]
        r = rng.random()
        base_year = FIRST_YEAR + rng.randrange(9)
        if r < 0.05:
            return self.common_group(nat, pool, base_year)
        if r < 0.05 + 0.028:
            return self.sibling_group(nat, pool, base_year)
        sex = "female" if rng.random() < 0.22 else "male"
        g, f = self.make_name(pool, sex)
        if rng.random() < pool["no_surname"]:
            f = ""
        fa = self.make_father(pool, (g,))
        e = self.new_entity(nat, sex, g, f, fa, dt.date(2000, 1, 1), None, None)
        e.dob = self.random_dob(base_year, e.role)
        e.m0 = (base_year - FIRST_YEAR) * 12 + rng.randrange(12)
        e.nrec = RECS_PER_PERSON.pick(rng)
        return [e], None

    def common_group(self, nat, pool, base_year):
        rng = self.rng
        size = rng.choice((3, 3, 4, 4, 5, 5, 6, 7, 8))
        female = rng.random() < 0.15
        if rng.random() < 0.4:
            g, f = (pool["W_common_f"] if female else pool["W_common"]).pick(rng)
        elif female:
            g, f = pool["W_top_given_f"].pick(rng), pool["W_top_family_f"].pick(rng)
        else:
            g, f = pool["W_top_given"].pick(rng), pool["W_top_family"].pick(rng)
            if g == f:
                f = pool["W_top_family"].pick(rng)
        sex = "female" if female else "male"
        fathers = set()
        ents = []
        years = []
        self.st["common_groups"] += 1
        gid = "C%d" % self.st["common_groups"]
        for i in range(size):
            fam = f
            # nisba near-miss: a different family name (Ahmad vs Ahmadi)
            if key_of(f) in NISBA_TWIN and i > 0 and rng.random() < 0.2:
                fam = NISBA_TWIN[key_of(f)]
            fa = self.make_father(pool, fathers | {g})
            fathers.add(fa)
            e = self.new_entity(nat, sex, g, fam, fa, dt.date(2000, 1, 1), "common", gid)
            by = base_year + rng.randrange(-2, 3)
            e.dob = self.random_dob(by, e.role)
            e.m0 = (by - FIRST_YEAR) * 12 + rng.randrange(12)
            if years and rng.random() < 0.3:          # same birth year as another member
                y = rng.choice(years)
                e.dob = dt.date(y, e.dob.month, min(e.dob.day, 28))
            years.append(e.dob.year)
            e.nrec = RECS_PER_PERSON.pick(rng)
            ents.append(e)
        return ents, None

    def sibling_group(self, nat, pool, base_year):
        rng = self.rng
        size = rng.choice((2, 2, 2, 3, 3, 4))
        fsex = "female" if rng.random() < 0.3 else "male"
        _, fam = self.make_name(pool, "male")
        if rng.random() < pool["no_surname"]:
            fam = ""
        fa = self.make_father(pool)
        self.st["sibling_groups"] += 1
        gid = "S%d" % self.st["sibling_groups"]
        ents = []
        givens = set()
        role0 = None
        y = base_year - int(rng.triangular(8, 40, 20))
        father_cnic = cnic(rng, "male") if nat == "PAK" else None
        for i in range(size):
            sex = fsex if i == 0 else ("female" if rng.random() < 0.35 else "male")
            for _ in range(20):
                g, _f = self.make_name(pool, sex)
                if g not in givens and g != fa:
                    break
            givens.add(g)
            fam_i = fam
            if sex == "female" and pool.get("W_family_f") and rng.random() < 0.5:
                fam_i = pool["W_family_f"].pick(rng)   # BGD daughters: Akter / Begum
            e = self.new_entity(nat, sex, g, fam_i, fa, dt.date(2000, 1, 1), "sibling", gid)
            if i > 0:
                y += 0 if rng.random() < 0.03 else rng.randrange(1, 5)   # twins are rare
            m = rng.randrange(1, 13)
            e.dob = dt.date(y, m, rng.randrange(1, days_in_month(y, m) + 1))
            if role0 is None:
                role0 = e.role
            e.father_cnic = father_cnic
            e.m0 = (base_year - FIRST_YEAR) * 12 + rng.randrange(12)
            e.nrec = RECS_PER_PERSON.pick(rng)
            ents.append(e)
        cotravel = rng.random() < 0.5
        return ents, ("cotravel" if cotravel else None)

    # ---- main loop -----------------------------------------------------------
    def run(self):
        rng = self.rng
        left = self.rows
        while left > 0:
            ents, flag = self.unit()
            # trim to the requested row count
            keep = []
            for e in ents:
                if left <= 0:
                    break
                if e.nrec > left:
                    e.nrec = left
                keep.append(e)
                left -= e.nrec
            ents = keep
            forced = None
            if flag == "cotravel" and len(ents) > 1:
                e0 = ents[0]
                role = e0.role if e0.role != "suspect" else "smuggled_migrant"
                for e in ents:
                    e.role = role
                route = ROUTES[e0.nat].pick(rng)
                cc = route[0]
                forced = self.new_incident(cc, rng.randrange(len(AGENCIES[cc])),
                                           rng.randrange(N_MONTHS - 4),
                                           self.offence_for(role))
                self.st["cotravel_groups"] += 1
            before = self.row_counter
            planned = sum(e.nrec for e in ents)
            for e in ents:
                self.gen_entity_records(e, forced)
            # rows dropped by month clipping (co-travel) are compensated
            left += planned - (self.row_counter - before)
            # hard-negative accounting
            if ents and ents[0].kind in ("common", "sibling"):
                n = len(ents)
                self.group_sizes[(ents[0].kind, n)] += 1
                pe = n * (n - 1) // 2
                s1 = sum(e.nrec for e in ents)
                s2 = sum(e.nrec * e.nrec for e in ents)
                pr = (s1 * s1 - s2) // 2
                if ents[0].kind == "common":
                    self.common_pairs_ent += pe
                    self.common_pairs_rec += pr
                    self.st["people_in_common_groups"] += n
                else:
                    self.sib_pairs_ent += pe
                    self.sib_pairs_rec += pr
                    self.st["people_in_sibling_groups"] += n
        for f in self.tmp_files:
            f.close()
        self.ent_file.close()

    # ---- output ----------------------------------------------------------------
    def write(self):
        rng = self.rng
        out = self.outdir
        pf = open(os.path.join(out, "persons.csv"), "w", newline="", encoding="utf-8")
        tf = open(os.path.join(out, "truth.csv"), "w", newline="", encoding="utf-8")
        pw = csv.writer(pf, lineterminator="\r\n")
        tw = csv.writer(tf, lineterminator="\r\n")
        pw.writerow(PERSON_COLS)
        tw.writerow(["person_id", "entity_id"])
        if self.split:
            af = open(os.path.join(out, "country_a.csv"), "w", newline="", encoding="utf-8")
            bf = open(os.path.join(out, "country_b.csv"), "w", newline="", encoding="utf-8")
            aw = csv.writer(af, lineterminator="\r\n")
            bw = csv.writer(bf, lineterminator="\r\n")
            aw.writerow(PERSON_COLS)
            bw.writerow(PERSON_COLS)
            side = defaultdict(lambda: ([], []))
        nrows = 0
        for m in range(N_MONTHS):
            path = os.path.join(self.tmpdir, "m%03d.csv" % m)
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            rng.shuffle(rows)
            for row in rows:
                eid = row[16]
                pw.writerow(row[:16])
                tw.writerow((row[0], eid))
                if self.split:
                    c = row[0][:3]
                    if c == "PAK":
                        aw.writerow(row[:16])
                        side[eid][0].append(row[0])
                    elif c in ("AFG", "IRN"):
                        bw.writerow(row[:16])
                        side[eid][1].append(row[0])
            nrows += len(rows)
            os.remove(path)
        pf.close()
        tf.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        if self.split:
            af.close()
            bf.close()
            nab = 0
            shared = 0
            with open(os.path.join(out, "truth_ab.csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(["person_id_a", "person_id_b"])
                for eid, (a, b) in side.items():
                    if a and b:
                        shared += 1
                        for x in a:
                            for y in b:
                                w.writerow((x, y))
                                nab += 1
            self.st["split_people_a"] = sum(1 for a, b in side.values() if a)
            self.st["split_people_b"] = sum(1 for a, b in side.values() if b)
            self.st["split_rows_a"] = sum(len(a) for a, b in side.values())
            self.st["split_rows_b"] = sum(len(b) for a, b in side.values())
            self.st["split_shared_people"] = shared
            self.st["split_true_cross_pairs"] = nab
        self.write_incidents()
        return nrows

    def write_incidents(self):
        rng = self.rng
        incs = sorted(self.incidents, key=lambda x: (x[3], x[0]))
        with open(os.path.join(self.outdir, "incidents.csv"), "w", newline="",
                  encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(INCIDENT_COLS)
            for inc in incs:
                iid, cc, ag, d, off, place, nv, ns, ni, nsus, forms, origin = inc
                if nv + ns + ni + nsus == 0:
                    continue              # opened but never used (cannot happen normally)
                aname, _code, places = AGENCIES[cc][ag]
                ptype, admin1, pname, bcp = places[place]
                y, mo = d.year, d.month
                if rng.random() < 0.15:
                    mo += 1
                    if mo == 13:
                        y, mo = y + 1, 1
                period = "%04d-%02d" % (y, mo)
                if off == "THB":
                    if nv == 0 or rng.random() < 0.25:
                        nv += rng.randrange(1, 4)
                    if not forms:
                        forms = {EXPLOIT.pick(rng)}
                    ef = ";".join(sorted(forms))
                else:
                    ef = ""
                if off == "SOM" and (ns == 0 or rng.random() < 0.3):
                    ns += rng.randrange(1, 6)
                if off.startswith("IRREGULAR") and ni == 0:
                    ni = 1
                if off in ("THB", "SOM") and rng.random() < 0.35:
                    nsus += rng.randrange(1, 3)
                ro = rt = rd = ""
                if rng.random() < 0.6:
                    ro = origin if origin and origin not in ("XXX", "XXA") else ""
                    rd = DESTINATIONS[cc].pick(rng)
                    if rd == ro:
                        rd = ""
                    tr = [c for c in TRANSIT[cc] if c not in (ro, rd)]
                    if tr and rng.random() < 0.5:
                        rt = ";".join(tr[:rng.randrange(1, len(tr) + 1)])
                tm = {"land_border": "land", "inland": "land", "airport": "air",
                      "seaport": "sea", "at_sea": "sea", "online": "unknown"}[ptype]
                if rng.random() < 0.08:
                    tm = "mixed"
                elif rng.random() < 0.1:
                    tm = ""
                deaths = ""
                if rng.random() < 0.7:
                    deaths = "0"
                    if ptype == "at_sea" and rng.random() < 0.05:
                        deaths = str(rng.randrange(1, 20))
                st = (STAGE_CRIME if off in ("THB", "SOM", "DOCUMENT_FRAUD") else STAGE_IRREG).pick(rng)
                sd = ""
                if st != "detected" and rng.random() < 0.7:
                    sd = (d + dt.timedelta(days=rng.randrange(0, 400))).isoformat()
                note = ""
                r = rng.random()
                if r < 0.04:
                    note = 'Group intercepted at night, "guide" fled'
                elif r < 0.07:
                    note = "Vehicle: pickup, 2 drivers\nFollow-up by zone office"
                elif r < 0.09:
                    note = "Joint operation, see file %d/%d" % (rng.randrange(1, 999), d.year)
                w.writerow([iid, cc, aname, period, d.isoformat(), off, ptype, admin1,
                            pname, bcp, ef, ro, rt, rd, tm, nv, ns, ni, nsus, deaths, st,
                            sd, note])
                self.st["incidents"] += 1

    def stats(self, nrows, elapsed):
        ents = sum(self.ent_sizes.values())
        canon_pairs = sum(c * (c - 1) // 2 for c in self.canon_key_count.values())
        s = {
            "seed": self.seed, "rows": nrows, "people": ents,
            "rows_per_person": {str(k): v for k, v in sorted(self.ent_sizes.items())},
            "singleton_people_share": round(self.ent_sizes[1] / ents, 4) if ents else 0,
            "singleton_rows_share": round(self.ent_sizes[1] / nrows, 4) if nrows else 0,
            "true_row_pairs": sum(v * k * (k - 1) // 2 for k, v in self.ent_sizes.items()),
            "common_name_groups": self.st["common_groups"],
            "people_in_common_name_groups": self.st["people_in_common_groups"],
            "common_name_share_of_people": round(self.st["people_in_common_groups"] / ents, 4) if ents else 0,
            "common_group_sizes": {str(k[1]): v for k, v in sorted(self.group_sizes.items()) if k[0] == "common"},
            "hard_negative_person_pairs_common_name": self.common_pairs_ent,
            "hard_negative_row_pairs_common_name": self.common_pairs_rec,
            "sibling_groups": self.st["sibling_groups"],
            "people_in_sibling_groups": self.st["people_in_sibling_groups"],
            "sibling_group_sizes": {str(k[1]): v for k, v in sorted(self.group_sizes.items()) if k[0] == "sibling"},
            "hard_negative_person_pairs_siblings": self.sib_pairs_ent,
            "hard_negative_row_pairs_siblings": self.sib_pairs_rec,
            "cotravelling_sibling_groups": self.st["cotravel_groups"],
            "distinct_person_pairs_same_canonical_name_and_nationality": canon_pairs,
            "distinct_person_pairs_same_name_father_birth_year": sum(
                c * (c - 1) // 2 for c in self.year_key_count.values()),
            "distinct_person_pairs_same_name_father_exact_dob": sum(
                c * (c - 1) // 2 for c in self.day_key_count.values()),
            "nationality_of_people": dict(self.nat_count.most_common()),
            "incidents": self.st["incidents"],
            "seconds": round(elapsed, 1),
        }
        for k in ("split_people_a", "split_people_b", "split_rows_a", "split_rows_b",
                  "split_shared_people", "split_true_cross_pairs"):
            if k in self.st:
                s[k] = self.st[k]
        return s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("-o", "--out", required=True, help="output directory")
    ap.add_argument("--split", action="store_true",
                    help="also write country_a.csv (PAK agencies), country_b.csv "
                         "(AFG and IRN agencies) and truth_ab.csv")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.rows < 1:
        ap.error("--rows must be positive")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    g = Generator(a.seed, a.rows, a.out, a.split)
    g.run()
    n = g.write()
    s = g.stats(n, time.time() - t0)
    with open(os.path.join(a.out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(s, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if not a.quiet:
        print(json.dumps(s, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

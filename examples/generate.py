#!/usr/bin/env python3
"""Generate the invented Marcheo feedback corpus that lives in ``examples/``.

Marcheo is a fictional French-first walking-rewards app. This script writes four feedback files in
the exact shapes vocmine's readers expect, with known ("planted") trends, malformed rows and fake
personal data, so that tests and demos can check that vocmine finds what was put there:

- ``zendesk_tickets.json``: one Zendesk API page of support tickets;
- ``csat_survey.csv``: post-contact survey comments (UTF-8 with BOM, ``;``-delimited);
- ``play_reviews.csv``: Google Play reviews as google-play-scraper exports them;
- ``appstore_reviews.jsonl``: App Store reviews, one JSON object per line.

Everything is invented. The script uses only the standard library, a fixed seed and no clock, so
``python examples/generate.py`` rewrites byte-identical files. Importing it has no side effects:

    >>> import importlib.util
    >>> spec = importlib.util.spec_from_file_location("generate", "examples/generate.py")
    >>> gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
    >>> gen.PLANTED_FACTS["F3"]["counts"]["2026-10"]
    23
    >>> len(gen.planted_pii())
    180

See ``examples/README.md`` for the planted facts, the malformed rows and the PII policy.
"""

import csv
import html
import io
import json
import math
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

SEED = 20261101

OUT_DIR = Path(__file__).resolve().parent
MONTHS = ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
REPORT_MONTH = "2026-10"
END = datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)

FILES = {
    "ticket": "zendesk_tickets.json",
    "csat": "csat_survey.csv",
    "play": "play_reviews.csv",
    "appstore": "appstore_reviews.jsonl",
}
CHANNELS = ("ticket", "csat", "play", "appstore")

# Theme ids come from the product taxonomy, in its order. The emerging theme is deliberately NOT a
# taxonomy id: vocmine has to discover it. None stands for off-topic noise.
TAXONOMY_THEMES = (
    "tracking.steps_not_counted",
    "tracking.health_sync",
    "rewards.missing_points",
    "rewards.earning_rate_drop",
    "rewards.referral_bonus",
    "rewards.cashback_offer",
    "cashout.bank_transfer_delay",
    "cashout.gift_card_issue",
    "cashout.minimum_threshold",
    "account.login",
    "account.banned",
    "account.identity_verification",
    "account.data_deletion",
    "app.crash",
    "app.bug",
    "app.battery",
    "app.performance",
    "ads.too_many_ads",
    "ads.rewarded_ad_failure",
    "support.no_response",
    "feedback.feature_request",
    "feedback.praise",
)
EMERGING = "emerging.team_challenges"
OFF_TOPIC = "(off-topic)"
ALL_THEMES = (*TAXONOMY_THEMES, EMERGING, OFF_TOPIC)

# Monthly base volume (May-Sep) of the themes without a planted trend (F8, and F4 login).
STABLE_BASE = {
    "tracking.steps_not_counted": 55,
    "tracking.health_sync": 40,
    "rewards.missing_points": 40,
    "rewards.earning_rate_drop": 30,
    "rewards.referral_bonus": 22,
    "rewards.cashback_offer": 20,
    "cashout.minimum_threshold": 18,
    "account.login": 35,
    "account.banned": 22,
    "account.identity_verification": 18,
    "account.data_deletion": 10,
    "app.bug": 30,
    "app.battery": 15,
    "app.performance": 18,
    "ads.too_many_ads": 40,
    "ads.rewarded_ad_failure": 28,
    "support.no_response": 22,
    "feedback.feature_request": 28,
    "feedback.praise": 80,
}
OCTOBER_VOLUME_FACTOR = 1.2  # F5: every theme without a planted trend grows 20% in October
OFF_TOPIC_SHARE = 0.05  # F9
BANK_TRANSFER = (40, 40, 40, 40, 40, 85)  # F1
GIFT_CARD = (70, 64, 57, 45, 34, 24)  # F3
CRASH_BASELINE = 18  # F2, per month
CRASH_OCTOBER_TOTAL = 90  # F2, baseline + the 4.12.0 rewards-tab crash
TEAM_CHALLENGES = (0, 0, 0, 0, 15, 45)  # F6

RELEASE_4_12_0 = datetime(2026, 10, 8, 8, 0, tzinfo=UTC)
TEAM_LAUNCH = date(2026, 9, 8)
RELEASES = (
    (datetime(2026, 3, 30, 8, tzinfo=UTC), "4.8.3"),
    (datetime(2026, 4, 28, 8, tzinfo=UTC), "4.9.0"),
    (datetime(2026, 5, 13, 8, tzinfo=UTC), "4.9.1"),
    (datetime(2026, 5, 26, 8, tzinfo=UTC), "4.9.2"),
    (datetime(2026, 6, 2, 8, tzinfo=UTC), "4.10.0"),
    (datetime(2026, 6, 17, 8, tzinfo=UTC), "4.10.1"),
    (datetime(2026, 7, 6, 8, tzinfo=UTC), "4.10.2"),
    (datetime(2026, 7, 22, 8, tzinfo=UTC), "4.10.3"),
    (datetime(2026, 8, 3, 8, tzinfo=UTC), "4.11.0"),
    (datetime(2026, 8, 19, 8, tzinfo=UTC), "4.11.1"),
    (datetime(2026, 9, 8, 8, tzinfo=UTC), "4.11.2"),
    (RELEASE_4_12_0, "4.12.0"),
)

# Share of items per channel for each theme: (ticket, csat, play, appstore).
CHANNEL_WEIGHTS = {
    "tracking.steps_not_counted": (0.43, 0.12, 0.27, 0.18),
    "tracking.health_sync": (0.45, 0.12, 0.21, 0.22),
    "rewards.missing_points": (0.52, 0.16, 0.19, 0.13),
    "rewards.earning_rate_drop": (0.20, 0.07, 0.44, 0.29),
    "rewards.referral_bonus": (0.52, 0.16, 0.19, 0.13),
    "rewards.cashback_offer": (0.56, 0.17, 0.16, 0.11),
    "cashout.bank_transfer_delay": (0.56, 0.30, 0.08, 0.06),
    "cashout.gift_card_issue": (0.55, 0.20, 0.15, 0.10),
    "cashout.minimum_threshold": (0.22, 0.08, 0.42, 0.28),
    "account.login": (0.52, 0.16, 0.19, 0.13),
    "account.banned": (0.62, 0.20, 0.11, 0.07),
    "account.identity_verification": (0.64, 0.23, 0.08, 0.05),
    "account.data_deletion": (0.78, 0.14, 0.05, 0.03),
    "app.crash": (0.32, 0.06, 0.37, 0.25),
    "app.bug": (0.38, 0.09, 0.31, 0.22),
    "app.battery": (0.16, 0.04, 0.48, 0.32),
    "app.performance": (0.18, 0.04, 0.46, 0.32),
    "ads.too_many_ads": (0.08, 0.03, 0.53, 0.36),
    "ads.rewarded_ad_failure": (0.38, 0.09, 0.31, 0.22),
    "support.no_response": (0.24, 0.46, 0.18, 0.12),
    "feedback.feature_request": (0.30, 0.09, 0.36, 0.25),
    "feedback.praise": (0.05, 0.14, 0.50, 0.31),
    EMERGING: (0.32, 0.07, 0.36, 0.25),
    OFF_TOPIC: (0.10, 0.14, 0.47, 0.29),
}
REVIEW_WEIGHTS = (0.0, 0.0, 0.6, 0.4)  # the extra October volume is reviews (F5)
NEW_CRASH_REVIEW_SHARE = 0.96  # F2: the rewards-tab crash is reported in store reviews

# How reviews and CSAT notes are drawn: "neg" themes are clear complaints, "mild" ones grumbles.
SENTIMENT = {
    "cashout.bank_transfer_delay": "neg",
    "cashout.gift_card_issue": "neg",
    "account.login": "neg",
    "tracking.steps_not_counted": "neg",
    "tracking.health_sync": "neg",
    "rewards.missing_points": "neg",
    "rewards.referral_bonus": "neg",
    "rewards.cashback_offer": "neg",
    "account.banned": "neg",
    "account.identity_verification": "neg",
    "app.crash": "neg",
    "ads.rewarded_ad_failure": "neg",
    "support.no_response": "neg",
    "rewards.earning_rate_drop": "mild",
    "cashout.minimum_threshold": "mild",
    "account.data_deletion": "mild",
    "app.bug": "mild",
    "app.battery": "mild",
    "app.performance": "mild",
    "ads.too_many_ads": "mild",
    EMERGING: "mild",
    "feedback.feature_request": "request",
    "feedback.praise": "pos",
    OFF_TOPIC: "noise",
}
REVIEW_STARS = {
    "neg": {1: 0.55, 2: 0.28, 3: 0.13, 4: 0.04},
    "mild": {1: 0.30, 2: 0.35, 3: 0.25, 4: 0.10},
    "request": {3: 0.30, 4: 0.45, 5: 0.25},
    "pos": {5: 1.0},
    "noise": {1: 0.05, 3: 0.1, 4: 0.2, 5: 0.65},
    "crash_4_12": {1: 0.72, 2: 0.28},
}
# Probability that a CSAT note is 1-2 (the rest split between 3 and 4-5).
CSAT_NEGATIVE = {
    "cashout.bank_transfer_delay": 0.88,
    "cashout.gift_card_issue": 0.72,
    "cashout.minimum_threshold": 0.65,
    "account.banned": 0.82,
    "support.no_response": 0.92,
    "account.identity_verification": 0.66,
    "rewards.cashback_offer": 0.6,
    "feedback.feature_request": 0.15,
    "feedback.praise": 0.0,
    OFF_TOPIC: 0.1,
}
BAD_RATING_THEMES = (
    "cashout.bank_transfer_delay",
    "cashout.gift_card_issue",
    "cashout.minimum_threshold",
    "account.banned",
    "account.identity_verification",
    "support.no_response",
)
TICKET_CATEGORY = {
    "tracking": "suivi_pas",
    "rewards": "recompenses",
    "cashout": "paiement",
    "account": "compte",
    "app": "technique",
    "ads": "publicite",
    "support": "support",
    "feedback": "avis",
    "emerging": "technique",
}

COUNTRIES = (("FR", 0.53), ("BE", 0.07), ("GB", 0.24), ("ES", 0.085), ("DE", 0.075))
NATIVE_LANGUAGE = {"FR": "fr", "BE": "fr", "GB": "en", "ES": "es", "DE": "de"}
ENGLISH_ELSEWHERE = 0.07  # some users write English whatever their country
TYPO_RATE = {"ticket": 0.06, "csat": 0.10, "play": 0.13, "appstore": 0.12}
PII_RATE = {"ticket": 0.07, "csat": 0.045, "play": 0.012, "appstore": 0.012}
MAX_INTERNATIONAL_PHONES = 2

# --------------------------------------------------------------------------------------------
# Language material shared by every theme
# --------------------------------------------------------------------------------------------

# fmt: off
# (Template data stays one item per line: the formatter would split every sentence list.)
GENERIC: dict[str, dict[str, Any]] = {
    "fr": {
        "close_three": ["Je mets 3 étoiles en attendant.", "3 étoiles, pas plus pour l'instant."],
        "close_five": ["5 étoiles méritées.", "5 étoiles sans hésiter."],
        "opener": [
            "J'utilise Marcheo depuis {months} mois.", "Utilisatrice depuis le début.",
            "Je marche tous les jours pour aller au travail.", "Bonne appli au départ.",
            "Franchement déçu.", "Alors voilà.", "Petit retour après plusieurs mois d'utilisation.",
            "Je marche environ {steps} pas par jour.", "Utilisateur quotidien ici.",
        ],
        "close_angry": [
            "Je désinstalle.", "Fuyez !", "1 étoile c'est déjà trop.", "Très déçu.", "Lamentable.",
            "Plus jamais.", "Inadmissible.", "Je vais voir ailleurs.", "Honteux.",
        ],
        "close_sad": [
            "Dommage.", "À corriger svp.", "J'espère une mise à jour rapide.", "Ça devient pénible.",
            "Déçue.", "Bof bof.", "Merci de faire quelque chose.",
        ],
        "close_mixed": [
            "Sinon l'appli est top.", "Dommage car le concept est génial.",
            "Le reste fonctionne bien.",
            "J'aime bien l'appli, mais là ça ne va pas.", "Je remonterai ma note quand ce sera réglé.",
            "Pour le reste rien à dire.",
        ],
        "close_happy": [
            "Je recommande !", "Merci Marcheo 🙏", "Top 👍", "Continuez comme ça !",
            "Bravo à l'équipe.",
        ],
        "greeting": ["Bonjour,", "Bonjour,", "Bonjour,", "Bonjour Marcheo,", "Bonsoir,", "Madame, Monsieur,", "Bonjour à l'équipe,"],
        "request": [
            "Pouvez-vous regarder ce qui se passe ?", "Merci de me tenir informé.", "J'attends votre retour.",
            "Pouvez-vous faire le nécessaire svp ?", "Merci d'avance pour votre aide.",
            "Pourriez-vous vérifier mon compte ?", "Merci de régler ce problème rapidement.",
            "Que dois-je faire ?", "J'espère une réponse rapide.",
        ],
        "signoff": ["Cordialement,", "Bien cordialement,", "Merci,", "Bonne journée,", "Bien à vous,", "Merci d'avance,"],
        "signoff_alone": ["Cordialement", "Merci d'avance", "Bonne journée", "Merci", "Bien à vous"],
        "sent_from": ["Envoyé de mon iPhone", "Envoyé de mon Samsung Galaxy", "Envoyé depuis Yahoo Mail pour Android", "Envoyé de mon iPad", "Envoyé depuis Outlook pour Android"],
        "support_neg": [
            "Le support répond à côté.", "Réponse automatique qui ne sert à rien.",
            "On me demande juste de patienter encore.", "J'ai eu trois fois la même réponse copiée-collée.",
            "Le conseiller était poli mais n'a rien résolu.", "Ticket fermé sans solution.",
            "Il a fallu {few} relances pour avoir une réponse.",
            "Aucune vraie explication, juste « c'est en cours de traitement ».",
            "Le support ne lit pas vraiment les messages.", "On me renvoie vers la FAQ à chaque fois.",
            "Réponse au bout de {days} jours pour ne rien dire.",
        ],
        "support_neutral": [
            "Réponse correcte mais il a fallu relancer.", "Le support a été aimable, on verra si ça se règle.",
            "Réponse rapide mais le problème n'est pas encore réglé.",
            "Explications claires, mais je suis toujours en attente.", "Bon contact, délai un peu long.",
        ],
        "support_pos": [
            "Réponse rapide et claire, merci !", "Conseiller très sympa et efficace.", "Merci pour la réactivité.",
            "Support au top.", "Rien à redire, réglé en une journée.", "Bien expliqué, merci.",
            "Très bon accueil sur le chat.",
        ],
        "resolved": [
            "Problème avec {topic} réglé, merci.", "Concernant {topic}, tout est rentré dans l'ordre.",
            "Le conseiller a trouvé la solution pour {topic}.", "J'avais un souci avec {topic}, c'est réglé.",
            "On m'a bien aidé pour {topic}.", "Mon problème concernant {topic} a été résolu en deux jours.",
        ],
        "dev_reply": [
            "Bonjour, nous sommes désolés pour ce désagrément. Pouvez-vous contacter notre support depuis l'application (Profil > Aide) afin que nous vérifiions votre compte ? L'équipe Marcheo",
            "Bonjour, merci pour votre retour. Notre équipe regarde ce problème de près, n'hésitez pas à nous écrire via l'aide de l'application.",
            "Bonjour, nous comprenons votre frustration. Écrivez-nous depuis Profil > Aide avec une capture d'écran, nous allons regarder ça.",
        ],
        "dev_reply_pos": ["Merci beaucoup pour votre avis ! Bonne marche 💚", "Merci pour ce super retour, à bientôt sur Marcheo !"],
        "dev_reply_crash": [
            "Bonjour, nous avons identifié un plantage sur l'onglet Récompenses dans la version 4.12.0. Un correctif arrive dans les prochains jours, vos points ne sont pas perdus. Désolés !",
            "Bonjour, merci pour votre signalement. Le problème de l'onglet Récompenses est connu et sera corrigé dans la prochaine mise à jour.",
        ],
        "quote_header": "Le {wd} {d} {mon} {y} à {hh}:{mm}, Support Marcheo <support@marcheo.app> a écrit :",
        "quote_lines": [
            "Nous avons transmis votre demande à l'équipe concernée, nous revenons vers vous dès que possible.",
            "Pourriez-vous nous préciser le modèle de votre téléphone et la version de l'application ?",
            "Les demandes sont traitées dans un délai de 5 jours ouvrés.",
            "Nous vous invitons à mettre à jour l'application et à redémarrer votre téléphone.",
            "Pouvez-vous nous envoyer une capture d'écran du problème ?",
        ],
        "quote_intro": "Merci pour votre message concernant {topic}.",
        "quote_greeting": "Bonjour,",
        "quote_signoff": "L'équipe Marcheo",
        "weekdays": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
        "months_abbr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
        "months_full": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        "since_date": "{d} {month}",
        "sat_good": ["Merci, réponse rapide.", "Problème réglé.", "Très bien.", "Efficace."],
        "sat_bad": ["Toujours pas de solution.", "Réponse à côté de la plaque.", "Aucune aide.", "Toujours rien reçu."],
        "subject_generic": ["Problème", "Question", "Demande d'aide", "Aide svp", "Réclamation", "Mon compte"],
        "sdk_subject": "Message depuis l'application",
        "pii": {
            "email": ["Vous pouvez me répondre sur {pii}.", "Mon adresse mail du compte c'est {pii}.", "Mon compte est lié à l'adresse {pii}.", "Écrivez-moi à {pii} svp."],
            "phone": ["Vous pouvez m'appeler au {pii}.", "Mon numéro : {pii}.", "Joignable au {pii} en journée."],
            "iban": ["Mon IBAN : {pii}.", "J'ai bien vérifié l'IBAN {pii}.", "Le virement doit aller sur {pii}."],
            "card": ["J'ai payé avec ma carte {pii}.", "Le remboursement doit aller sur la carte {pii}."],
            "address": ["Mon adresse : {pii}.", "Le courrier devait arriver au {pii}.", "J'habite au {pii}."],
            "user_id": ["Mon identifiant est {pii}.", "ID utilisateur : {pii}.", "Mon id Marcheo c'est {pii}."],
        },
        "sms": {"je sais pas": "jsp", "s'il vous plaît": "svp", "pourquoi": "pk", "beaucoup": "bcp", "aujourd'hui": "auj", "quand": "qd", "toujours": "tjrs", "rien": "r1", "c'est": "c", "je suis": "chui", "vous": "vs"},
        "emoji_neg": ["😡", "😤", "👎", "🤬", "😞", "😠"],
        "emoji_pos": ["👍", "😍", "💪", "🙏", "⭐⭐⭐⭐⭐", "🚶‍♀️"],
        "generic_title": {1: ["Nul", "Déçu", "Arnaque ?", "À fuir"], 2: ["Bof", "Décevant", "Peut mieux faire"], 3: ["Moyen", "Pas mal mais…"], 4: ["Bien", "Bonne appli"], 5: ["Génial", "Top", "Parfait"]},
        "noise": [
            "ok", "test", "👍👍", "qui a vu le match hier soir", "asdfgh", "Bonjour", "coucou", "rien à dire", "je teste",
            "bonne journée à tous", "il fait beau aujourd'hui", "mon chat s'appelle Pixel", "RAS", "lol", "test test",
            "j'ai mangé une pizza ce midi", "qsdfghjkl", "bonne année", "c'est qui le meilleur joueur du PSG ?",
            "hello", "😂😂😂", "Ça va ?", "vive les vacances", "aaaaa", "je m'ennuie",
        ],
    },
    "en": {
        "close_three": ["3 stars for now.", "Three stars until it's fixed."],
        "close_five": ["Well deserved 5 stars.", "5 stars, easily."],
        "opener": [
            "Been using Marcheo for {months} months.", "Long-time user here.", "I walk to work every day.",
            "Good app at first.", "Honestly disappointed.", "So here's the thing.", "Quick review after a few months.",
            "I do about {steps} steps a day.", "Daily user.",
        ],
        "close_angry": ["Uninstalling.", "Avoid!", "1 star is too generous.", "Very disappointed.", "Pathetic.", "Never again.", "Unacceptable.", "Shameful."],
        "close_sad": ["Shame.", "Please fix.", "Hoping for a quick update.", "Getting annoying.", "Disappointed.", "Meh.", "Please do something."],
        "close_mixed": [
            "Otherwise the app is great.", "Shame because the idea is brilliant.",
            "The rest works fine.", "I like the app but this isn't ok.", "Will update my rating when it's fixed.",
            "Apart from that, no complaints.",
        ],
        "close_happy": ["Highly recommend!", "Thanks Marcheo 🙏", "Top 👍", "Keep it up!", "Well done to the team."],
        "greeting": ["Hello,", "Hi,", "Hi there,", "Dear Marcheo team,", "Hello,", "Good morning,"],
        "request": [
            "Could you look into this?", "Please keep me posted.", "Looking forward to your reply.",
            "Can you sort this out please?", "Thanks in advance for your help.", "Could you check my account?",
            "Please fix this quickly.", "What should I do?",
        ],
        "signoff": ["Kind regards,", "Best regards,", "Thanks,", "Many thanks,", "Best,", "Cheers,"],
        "signoff_alone": ["Kind regards", "Thanks", "Cheers", "Best"],
        "sent_from": ["Sent from my iPhone", "Sent from my Samsung Galaxy", "Sent from Outlook for Android"],
        "support_neg": [
            "Support answered a different question.", "Automated reply, useless.", "They just told me to wait again.",
            "Got the same copy-paste answer three times.", "The agent was polite but solved nothing.",
            "Ticket closed without a fix.", "Took {few} chasers to get a reply.",
            "No real explanation, just 'it's being processed'.", "Support doesn't actually read the messages.",
            "They keep sending me to the FAQ.", "Answer after {days} days that said nothing.",
        ],
        "support_neutral": [
            "Decent answer but I had to chase.", "Support was friendly, we'll see if it gets fixed.",
            "Quick reply but the problem isn't solved yet.", "Clear explanation, still waiting though.",
        ],
        "support_pos": [
            "Quick and clear answer, thanks!", "Very friendly and helpful agent.", "Thanks for the quick response.",
            "Great support.", "Sorted within a day, no complaints.", "Well explained, thank you.",
        ],
        "resolved": [
            "Problem with {topic} sorted, thanks.", "Regarding {topic}, everything is back to normal.",
            "The agent found the fix for {topic}.", "I had an issue with {topic}, now solved.",
            "Got good help with {topic}.", "My issue with {topic} was solved in two days.",
        ],
        "dev_reply": [
            "Hi, sorry for the trouble. Please contact our support from the app (Profile > Help) so we can check your account. The Marcheo team",
            "Hi, thanks for your feedback. Our team is looking into this, feel free to write to us via Help in the app.",
        ],
        "dev_reply_pos": ["Thanks so much for your review! Happy walking 💚", "Thank you for the lovely feedback!"],
        "dev_reply_crash": [
            "Hi, we've identified a crash on the Rewards tab in version 4.12.0. A fix is coming in the next few days and your points are safe. Sorry!",
            "Hi, thanks for reporting this. The Rewards tab issue is known and will be fixed in the next update.",
        ],
        "quote_header": "On {wd}, {d} {mon} {y} at {hh}:{mm}, Support Marcheo <support@marcheo.app> wrote:",
        "quote_lines": [
            "We have passed your request on to the relevant team and will get back to you as soon as possible.",
            "Could you tell us your phone model and app version?",
            "Requests are handled within 5 working days.",
            "Please update the app and restart your phone.",
        ],
        "quote_intro": "Thank you for your message about {topic}.",
        "quote_greeting": "Hello,",
        "quote_signoff": "The Marcheo team",
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "months_abbr": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        "months_full": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "since_date": "{d} {month}",
        "sat_good": ["Thanks, quick answer.", "Sorted.", "Very good.", "Helpful."],
        "sat_bad": ["Still not solved.", "Didn't answer my question.", "No help at all.", "Still nothing received."],
        "subject_generic": ["Problem", "Question", "Help please", "Complaint", "My account"],
        "sdk_subject": "Message from the app",
        "pii": {
            "email": ["You can reply to {pii}.", "My account email is {pii}.", "The account is registered to {pii}."],
            "phone": ["You can call me on {pii}.", "My number: {pii}.", "Reachable on {pii} during the day."],
            "iban": ["My IBAN: {pii}.", "I double-checked the IBAN {pii}.", "The transfer should go to {pii}."],
            "card": ["I paid with my card {pii}.", "The refund should go to card {pii}."],
            "address": ["My address: {pii}.", "The letter was supposed to arrive at {pii}.", "I live at {pii}."],
            "user_id": ["My user ID is {pii}.", "User ID: {pii}.", "My Marcheo id is {pii}."],
        },
        "sms": {"you": "u", "please": "pls", "your": "ur", "I don't know": "idk", "because": "cos", "are": "r", "tonight": "2nite"},
        "emoji_neg": ["😡", "😤", "👎", "🤬", "😞"],
        "emoji_pos": ["👍", "😍", "💪", "🙏", "⭐⭐⭐⭐⭐"],
        "generic_title": {1: ["Rubbish", "Disappointed", "Scam?", "Avoid"], 2: ["Meh", "Disappointing", "Could be better"], 3: ["Average", "OK but…"], 4: ["Good", "Nice app"], 5: ["Brilliant", "Great", "Perfect"]},
        "noise": [
            "ok", "test", "👍👍", "did anyone watch the match last night", "asdfgh", "Hello", "hi", "nothing to say", "just testing",
            "have a nice day everyone", "lovely weather today", "my cat is called Pixel", "lol", "test test", "had pizza for lunch",
            "qwertyuiop", "happy new year", "who's winning the league this year", "😂😂😂", "how are you?", "aaaaa", "bored",
        ],
    },
    "es": {
        "close_three": ["Le pongo 3 estrellas de momento."],
        "close_five": ["5 estrellas merecidas."],
        "opener": ["Uso Marcheo desde hace {months} meses.", "Usuaria desde el principio.", "Camino todos los días al trabajo.", "Al principio estaba bien.", "Sinceramente decepcionado."],
        "close_angry": ["La desinstalo.", "¡Huid!", "Una estrella es demasiado.", "Muy decepcionado.", "Vergonzoso."],
        "close_sad": ["Una pena.", "Arregladlo, por favor.", "Espero una actualización pronto.", "Ya cansa."],
        "close_mixed": ["Por lo demás la app está genial.", "Una pena porque la idea es buena.", "Lo demás funciona bien."],
        "close_happy": ["¡La recomiendo!", "Gracias Marcheo 🙏", "Top 👍"],
        "greeting": ["Hola,", "Buenos días,", "Hola equipo de Marcheo,"],
        "request": ["¿Podéis revisarlo?", "Quedo a la espera de vuestra respuesta.", "Gracias de antemano.", "¿Qué tengo que hacer?", "Por favor, solucionadlo."],
        "signoff": ["Saludos,", "Un saludo,", "Gracias,", "Atentamente,"],
        "signoff_alone": ["Saludos", "Gracias", "Un saludo"],
        "sent_from": ["Enviado desde mi iPhone", "Enviado desde mi Samsung"],
        "support_neg": [
            "El soporte responde otra cosa.", "Respuesta automática que no sirve.", "Solo me dicen que espere.",
            "Tres veces la misma respuesta copiada.", "Cerraron el ticket sin solución.", "Hicieron falta {few} mensajes para que contestaran.",
        ],
        "support_neutral": ["Respuesta correcta pero tuve que insistir.", "Amables, veremos si se soluciona.", "Respondieron rápido pero sigue sin resolverse."],
        "support_pos": ["¡Respuesta rápida y clara, gracias!", "Agente muy amable y eficaz.", "Gracias por la rapidez.", "Soporte de diez."],
        "resolved": ["Problema con {topic} resuelto, gracias.", "Lo de {topic} ya está solucionado.", "Me ayudaron bien con {topic}.", "Tenía un problema con {topic} y ya está arreglado."],
        "dev_reply": ["Hola, sentimos las molestias. Contacta con nuestro soporte desde la app (Perfil > Ayuda) para revisar tu cuenta. El equipo de Marcheo"],
        "dev_reply_pos": ["¡Muchas gracias por tu opinión! 💚"],
        "dev_reply_crash": ["Hola, hemos identificado un cierre en la pestaña Recompensas en la versión 4.12.0. La corrección llegará en los próximos días. ¡Perdona!"],
        "quote_header": "El {wd}, {d} {mon} {y} a las {hh}:{mm}, Support Marcheo (<support@marcheo.app>) escribió:",
        "quote_lines": ["Hemos trasladado tu solicitud al equipo correspondiente.", "Las solicitudes se tramitan en un plazo de 5 días hábiles.", "Por favor, actualiza la app y reinicia el móvil."],
        "quote_intro": "Gracias por tu mensaje sobre {topic}.",
        "quote_greeting": "Hola,",
        "quote_signoff": "El equipo de Marcheo",
        "weekdays": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
        "months_abbr": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
        "months_full": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
        "since_date": "{d} de {month}",
        "sat_good": ["Gracias, rápido.", "Resuelto."],
        "sat_bad": ["Sigue sin resolverse.", "No me ayudaron."],
        "subject_generic": ["Problema", "Consulta", "Ayuda por favor"],
        "sdk_subject": "Mensaje desde la app",
        "pii": {
            "email": ["Mi correo es {pii}.", "Podéis escribirme a {pii}."],
            "phone": ["Mi teléfono: {pii}.", "Podéis llamarme al {pii}."],
            "iban": ["Mi IBAN: {pii}.", "He comprobado el IBAN {pii}."],
            "card": ["Pagué con mi tarjeta {pii}."],
            "address": ["Mi dirección: {pii}.", "Vivo en {pii}."],
            "user_id": ["Mi ID de usuario es {pii}.", "ID: {pii}."],
        },
        "sms": {"que": "q", "porque": "xq", "también": "tb", "por favor": "porfa", "por qué": "xq"},
        "emoji_neg": ["😡", "😤", "👎"],
        "emoji_pos": ["👍", "😍", "💪"],
        "generic_title": {1: ["Fatal", "Decepcionante"], 2: ["Regular", "Mejorable"], 3: ["Normal"], 4: ["Bien"], 5: ["Genial", "Perfecta"]},
        "noise": ["ok", "test", "👍👍", "alguien vio el partido anoche", "asdfgh", "Hola", "nada que decir", "probando", "buenos días a todos", "jajaja", "😂😂😂"],
    },
    "de": {
        "close_three": ["Vorerst 3 Sterne."],
        "close_five": ["Verdiente 5 Sterne."],
        "opener": ["Ich nutze Marcheo seit {months} Monaten.", "Nutzerin der ersten Stunde.", "Ich gehe jeden Tag zu Fuß zur Arbeit.", "Anfangs eine gute App.", "Ehrlich enttäuscht."],
        "close_angry": ["Wird deinstalliert.", "Finger weg!", "1 Stern ist zu viel.", "Sehr enttäuscht.", "Unverschämt."],
        "close_sad": ["Schade.", "Bitte beheben.", "Hoffe auf ein schnelles Update.", "Nervt langsam."],
        "close_mixed": ["Ansonsten ist die App super.", "Schade, die Idee ist toll.", "Der Rest funktioniert gut."],
        "close_happy": ["Klare Empfehlung!", "Danke Marcheo 🙏", "Top 👍"],
        "greeting": ["Hallo,", "Guten Tag,", "Sehr geehrtes Marcheo-Team,"],
        "request": ["Können Sie das bitte prüfen?", "Ich warte auf Ihre Antwort.", "Vielen Dank im Voraus.", "Was soll ich tun?", "Bitte beheben Sie das."],
        "signoff": ["Mit freundlichen Grüßen,", "Viele Grüße,", "Danke,", "Beste Grüße,"],
        "signoff_alone": ["Viele Grüße", "Danke", "MfG"],
        "sent_from": ["Von meinem iPhone gesendet", "Von meinem Samsung Galaxy gesendet"],
        "support_neg": [
            "Der Support antwortet am Thema vorbei.", "Automatische Antwort, nutzlos.", "Man soll nur weiter warten.",
            "Dreimal dieselbe Textbaustein-Antwort.", "Ticket ohne Lösung geschlossen.", "Erst nach {few} Nachfragen kam eine Antwort.",
        ],
        "support_neutral": ["Ordentliche Antwort, aber ich musste nachhaken.", "Freundlich, mal sehen ob es klappt.", "Schnelle Antwort, Problem aber noch nicht gelöst."],
        "support_pos": ["Schnelle und klare Antwort, danke!", "Sehr freundlicher und kompetenter Support.", "Danke für die schnelle Hilfe.", "Top Support."],
        "resolved": ["Problem mit {topic} gelöst, danke.", "Das mit {topic} ist jetzt erledigt.", "Mir wurde bei {topic} gut geholfen.", "Ich hatte ein Problem mit {topic}, ist behoben."],
        "dev_reply": ["Hallo, das tut uns leid. Bitte kontaktiere unseren Support in der App (Profil > Hilfe), damit wir dein Konto prüfen können. Dein Marcheo-Team"],
        "dev_reply_pos": ["Vielen Dank für deine Bewertung! 💚"],
        "dev_reply_crash": ["Hallo, wir haben einen Absturz im Tab Prämien in Version 4.12.0 gefunden. Ein Fix kommt in den nächsten Tagen. Entschuldigung!"],
        "quote_header": "Am {wd}, {d}. {mon} {y} um {hh}:{mm} schrieb Support Marcheo <support@marcheo.app>:",
        "quote_lines": ["Wir haben Ihre Anfrage an das zuständige Team weitergeleitet.", "Anfragen werden innerhalb von 5 Werktagen bearbeitet.", "Bitte aktualisieren Sie die App und starten Sie Ihr Handy neu."],
        "quote_intro": "Vielen Dank für Ihre Nachricht zu {topic}.",
        "quote_greeting": "Hallo,",
        "quote_signoff": "Ihr Marcheo-Team",
        "weekdays": ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
        "months_abbr": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
        "months_full": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        "since_date": "{d}. {month}",
        "sat_good": ["Danke, schnell.", "Gelöst."],
        "sat_bad": ["Immer noch nicht gelöst.", "Keine Hilfe."],
        "subject_generic": ["Problem", "Frage", "Hilfe bitte"],
        "sdk_subject": "Nachricht aus der App",
        "pii": {
            "email": ["Meine E-Mail ist {pii}.", "Antworten Sie bitte an {pii}."],
            "phone": ["Telefon: {pii}.", "Sie erreichen mich unter {pii}."],
            "iban": ["Meine IBAN: {pii}.", "Ich habe die IBAN {pii} geprüft."],
            "card": ["Ich habe mit meiner Karte {pii} bezahlt."],
            "address": ["Meine Adresse: {pii}.", "Ich wohne in der {pii}."],
            "user_id": ["Meine Nutzer-ID ist {pii}.", "ID: {pii}."],
        },
        "sms": {"nicht": "nich", "habe": "hab", "ist es": "isses", "vielleicht": "vllt", "irgendwie": "irgendwi"},
        "emoji_neg": ["😡", "😤", "👎"],
        "emoji_pos": ["👍", "😍", "💪"],
        "generic_title": {1: ["Schlecht", "Enttäuschend"], 2: ["Naja", "Mäßig"], 3: ["Geht so"], 4: ["Gut"], 5: ["Super", "Perfekt"]},
        "noise": ["ok", "test", "👍👍", "hat jemand das Spiel gestern gesehen", "asdfgh", "Hallo", "nichts zu sagen", "teste nur", "schönen Tag allen", "haha", "😂😂😂"],
    },
}

# Slot values that make texts concrete (devices, health apps, brands).
DEVICES = {
    "android": ["Samsung A52", "Samsung Galaxy S23", "Pixel 7", "Xiaomi Redmi Note 12", "Oppo A74", "Samsung A15", "Pixel 8a", "OnePlus 11", "Motorola G54", "Samsung A34"],
    "ios": ["iPhone 13", "iPhone SE", "iPhone 15 Pro", "iPhone 12", "iPhone 14", "iPhone 16", "iPhone 11", "iPhone 15"],
}
OS_VERSIONS = {"android": ["Android 13", "Android 14", "Android 15", "Android 16"], "ios": ["iOS 18.6", "iOS 26.0", "iOS 26.1", "iOS 18.7"]}
WATCHES = {"android": ["Garmin", "Fitbit", "Galaxy Watch", "Withings", "Amazfit"], "ios": ["Apple Watch", "Garmin", "Withings", "Fitbit"]}
HEALTH_APPS = {
    ("fr", "ios"): ["Apple Santé"], ("fr", "android"): ["Google Fit", "Health Connect", "Santé Connect"],
    ("en", "ios"): ["Apple Health"], ("en", "android"): ["Google Fit", "Health Connect"],
    ("es", "ios"): ["Apple Salud"], ("es", "android"): ["Google Fit", "Health Connect"],
    ("de", "ios"): ["Apple Health"], ("de", "android"): ["Google Fit", "Health Connect"],
}
GIFT_BRANDS = {
    "fr": ["Amazon", "Decathlon", "Zalando", "Fnac", "Carrefour", "Sephora", "Ikea"],
    "en": ["Amazon", "Tesco", "ASOS", "Decathlon", "Argos", "Deliveroo"],
    "es": ["Amazon", "Decathlon", "El Corte Inglés", "Zalando"],
    "de": ["Amazon", "Zalando", "MediaMarkt", "Decathlon", "Douglas"],
}
CASHBACK_BRANDS = {
    "fr": ["Booking", "Fnac", "Cdiscount", "Nike", "Sephora", "Boulanger", "Darty"],
    "en": ["Booking.com", "ASOS", "Nike", "Currys", "John Lewis"],
    "es": ["Booking", "El Corte Inglés", "PcComponentes"],
    "de": ["Booking.com", "Otto", "MediaMarkt"],
}

# --------------------------------------------------------------------------------------------
# Theme material: core complaints, short review phrases, details, titles, and a topic noun phrase
# --------------------------------------------------------------------------------------------

THEMES: dict[str, dict[str, dict[str, list[str]]]] = {
    "cashout.bank_transfer_delay": {
        "fr": {
            "core": [
                "J'ai demandé un virement de {amount} il y a {days} jours et je n'ai toujours rien reçu sur mon compte.",
                "Mon virement est marqué « envoyé » dans l'appli depuis {weeks} semaines mais rien n'est arrivé à la banque.",
                "Ça fait {days} jours que j'attends le virement de mes points, c'est bien plus long que les 5 jours annoncés.",
                "J'ai converti {points} en virement bancaire et l'argent n'est jamais arrivé.",
                "Le statut de mon virement reste « en cours de traitement » depuis le {since_date}.",
                "Toujours pas reçu mes {amount}, pourtant les points ont bien été débités de mon solde.",
                "Virement demandé le {since_date}, toujours pas sur mon compte, ma banque ne voit rien venir.",
                "Je voulais récupérer mes {amount} par virement mais au bout de {weeks} semaines toujours rien.",
                "Les points ont disparu de mon compte mais le virement de {amount} n'est jamais arrivé.",
                "Mon premier virement était arrivé en 3 jours, celui-ci est bloqué depuis {days} jours.",
            ],
            "short": [
                "Virement jamais reçu.", "Toujours pas reçu mon virement !", "{weeks} semaines pour un virement, sérieux ?",
                "Virement en attente depuis {days} jours", "Où est mon argent ??? Virement bloqué", "Les virements n'arrivent plus",
                "{amount} de virement jamais arrivés",
            ],
            "detail": [
                "J'ai vérifié mon IBAN, il est correct.", "Ma banque me confirme n'avoir reçu aucun virement de votre part.",
                "J'ai déjà fait plusieurs virements avant sans problème.",
                "Dans l'historique c'est écrit « virement effectué » mais il n'y a rien sur mon relevé.",
                "On m'avait annoncé 3 à 5 jours ouvrés.", "C'est de l'argent que j'ai gagné en marchant tous les jours pendant des mois.",
            ],
            "title": ["Virement non reçu", "Virement en attente", "Où est mon virement ?", "Retrait bancaire bloqué", "Virement toujours pas arrivé"],
            "topic": ["mon virement", "le virement de mes points"],
        },
        "en": {
            "core": [
                "I requested a bank transfer of {amount} {days} days ago and it still hasn't arrived.",
                "My withdrawal says 'sent' in the app but nothing has reached my bank account after {weeks} weeks.",
                "I've been waiting {days} days for my payout, way longer than the 3-5 working days you advertise.",
                "I cashed out {points} to my bank and the money never showed up.",
                "The transfer has been stuck on 'processing' since {since_date}.",
                "Still no sign of my {amount}, even though the points were taken from my balance.",
                "Asked for a bank transfer on {since_date}, still nothing in my account.",
                "The points are gone but the {amount} transfer never came through.",
                "My first payout arrived in 3 days, this one has been pending for {days} days.",
                "Where is my money? Bank transfer requested {weeks} weeks ago.",
            ],
            "short": [
                "Bank transfer never arrived.", "Still waiting for my payout!", "{weeks} weeks for a withdrawal, really?",
                "Payout pending for {days} days", "Where's my money??? Transfer stuck", "Withdrawals don't arrive anymore",
            ],
            "detail": [
                "I double-checked my bank details, they're correct.", "My bank says nothing has come in from you.",
                "I've cashed out before with no problem.", "The history says 'transfer completed' but it's not on my statement.",
                "You said 3 to 5 working days.", "That's money I earned walking every day for months.",
            ],
            "title": ["Bank transfer not received", "Payout pending", "Where is my withdrawal?", "Transfer still missing"],
            "topic": ["my bank transfer", "my payout"],
        },
        "es": {
            "core": [
                "Pedí una transferencia de {amount} hace {days} días y todavía no me ha llegado.",
                "La app dice que la transferencia está enviada pero en el banco no hay nada desde hace {weeks} semanas.",
                "Llevo {days} días esperando el pago de mis puntos, mucho más de lo que prometen.",
                "Me descontaron los puntos pero la transferencia de {amount} nunca llegó.",
            ],
            "short": ["Transferencia nunca recibida.", "¿Dónde está mi dinero? La transferencia no llega", "{weeks} semanas esperando el pago"],
            "detail": ["He comprobado mi IBAN y está bien.", "Mi banco dice que no ha recibido nada.", "Antes los pagos llegaban en 3 días."],
            "title": ["Transferencia no recibida", "Pago pendiente"],
            "topic": ["mi transferencia"],
        },
        "de": {
            "core": [
                "Ich habe vor {days} Tagen eine Überweisung über {amount} angefordert und noch nichts bekommen.",
                "In der App steht 'gesendet', aber seit {weeks} Wochen ist nichts auf meinem Konto.",
                "Die Punkte wurden abgezogen, aber die Auszahlung von {amount} ist nie angekommen.",
                "Meine Auszahlung hängt seit dem {since_date} auf 'in Bearbeitung'.",
            ],
            "short": ["Überweisung nie angekommen.", "Wo bleibt mein Geld? Auszahlung hängt", "Seit {weeks} Wochen keine Auszahlung"],
            "detail": ["Meine IBAN habe ich geprüft, sie stimmt.", "Meine Bank sagt, es ist nichts eingegangen.", "Früher kam das Geld nach 3 Tagen."],
            "title": ["Überweisung nicht erhalten", "Auszahlung hängt"],
            "topic": ["meine Auszahlung"],
        },
    },
    "app.crash": {
        "fr": {
            "core": [
                "L'application se ferme toute seule au démarrage depuis hier.",
                "L'appli plante à chaque fois que je regarde une pub pour doubler mes points.",
                "Dès que je lance la synchronisation, l'application crashe et revient à l'écran d'accueil du téléphone.",
                "Impossible d'ouvrir Marcheo : écran blanc puis fermeture.",
                "L'appli crashe quand je veux voir l'historique de mes pas.",
                "Sur mon {device} l'appli se ferme toute seule plusieurs fois par jour.",
                "Elle plante en plein milieu de ma marche et je dois la relancer.",
                "Depuis la mise à jour {version}, l'application se ferme dès que j'ouvre mon profil.",
                "L'appli quitte brutalement quand je reçois une notification.",
            ],
            "short": ["Plante sans arrêt.", "L'appli crash au lancement", "Se ferme toute seule 😡", "Crash à chaque ouverture", "Impossible de l'ouvrir, elle plante"],
            "detail": [
                "J'ai désinstallé et réinstallé, rien n'y fait.", "Mon téléphone est à jour ({os}).", "J'ai vidé le cache sans succès.",
                "Ça arrive environ une fois sur deux.", "J'ai redémarré le téléphone, pareil.",
            ],
            "title": ["L'application plante", "Crash au démarrage", "Fermeture inattendue"],
            "topic": ["les plantages de l'appli", "le crash au démarrage"],
        },
        "en": {
            "core": [
                "The app closes by itself on startup since yesterday.",
                "It crashes every time I watch an ad to double my points.",
                "As soon as I sync, the app crashes back to the home screen.",
                "Can't open Marcheo at all: white screen then it shuts down.",
                "The app crashes when I try to look at my step history.",
                "On my {device} the app force closes several times a day.",
                "It crashes in the middle of my walk and I have to restart it.",
                "Since update {version} the app crashes as soon as I open my profile.",
                "The app just quits whenever a notification comes in.",
            ],
            "short": ["Keeps crashing.", "Crashes on launch", "Force closes constantly 😡", "Crash every time I open it", "Won't even open, just crashes"],
            "detail": ["Uninstalled and reinstalled, no change.", "My phone is up to date ({os}).", "Cleared the cache, didn't help.", "It happens about half the time.", "Restarted the phone, same thing."],
            "title": ["App keeps crashing", "Crash on startup", "Force close"],
            "topic": ["the app crashing", "the crash on startup"],
        },
        "es": {
            "core": [
                "La aplicación se cierra sola al abrirla desde ayer.", "Se cuelga cada vez que veo un anuncio para duplicar puntos.",
                "En mi {device} la app se cierra varias veces al día.", "Desde la actualización {version} se cierra al abrir mi perfil.",
            ],
            "short": ["Se cierra sola.", "Se cuelga al abrir", "No para de cerrarse"],
            "detail": ["La he desinstalado y vuelto a instalar, nada.", "Mi móvil está actualizado ({os})."],
            "title": ["La app se cierra", "Se cuelga"],
            "topic": ["los cierres de la app"],
        },
        "de": {
            "core": [
                "Die App stürzt seit gestern direkt beim Start ab.", "Jedes Mal, wenn ich Werbung schaue, um Punkte zu verdoppeln, stürzt sie ab.",
                "Auf meinem {device} schließt sich die App mehrmals am Tag von selbst.", "Seit dem Update {version} stürzt die App ab, sobald ich mein Profil öffne.",
            ],
            "short": ["Stürzt ständig ab.", "Absturz beim Start", "Schließt sich einfach"],
            "detail": ["Neu installiert, hilft nichts.", "Mein Handy ist aktuell ({os})."],
            "title": ["App stürzt ab", "Absturz"],
            "topic": ["die Abstürze"],
        },
    },
    # F2: the October regression, reported under theme app.crash.
    "app.crash@4.12.0": {
        "fr": {
            "core": [
                "Depuis la mise à jour 4.12.0, l'appli plante dès que j'ouvre l'onglet Récompenses.",
                "Impossible d'accéder aux récompenses : l'application se ferme dès que je touche l'onglet.",
                "L'appli plante quand j'ouvre l'onglet récompenses, donc je ne peux plus convertir mes points.",
                "Depuis la dernière mise à jour, crash systématique sur l'écran Récompenses.",
                "Je clique sur Récompenses et hop, l'appli se ferme. À chaque fois.",
                "La nouvelle version plante quand on va dans la boutique de récompenses.",
                "Mise à jour 4.12.0 = l'onglet Récompenses fait planter l'appli. Plus moyen de voir mes cartes cadeaux.",
                "Quand j'ouvre l'onglet récompenses l'écran se fige puis l'appli se ferme.",
                "L'appli crashe dès que je veux échanger mes points dans Récompenses, depuis la maj.",
            ],
            "short": ["Plante sur l'onglet récompenses", "Crash onglet Récompenses depuis la maj", "Maj 4.12.0 = crash 😡", "Récompenses inaccessibles, ça plante", "L'onglet récompenses fait tout planter"],
            "detail": [
                "Le reste de l'appli marche, c'est seulement l'onglet Récompenses.", "Avant la mise à jour tout marchait très bien.",
                "Mon compteur de pas fonctionne, mais impossible d'aller dans Récompenses.", "Ma femme a le même souci sur son téléphone.",
                "J'ai désinstallé et réinstallé, rien n'y fait.", "Je suis sur {device}.",
            ],
            "title": ["Crash onglet Récompenses", "Plante depuis la mise à jour", "Maj 4.12.0 catastrophique", "Onglet récompenses HS"],
            "topic": ["le crash de l'onglet Récompenses"],
        },
        "en": {
            "core": [
                "Since the 4.12.0 update the app crashes as soon as I open the Rewards tab.",
                "Can't get to rewards anymore, the app closes the moment I tap the tab.",
                "Crashes when opening the rewards tab, so I can't redeem my points.",
                "Latest update: instant crash on the Rewards screen.",
                "I tap Rewards and boom, the app closes. Every single time.",
                "New version crashes when you go into the rewards shop.",
                "Update 4.12.0 broke the rewards tab, it crashes the whole app. Can't see my gift cards.",
                "Opening the rewards tab freezes the screen and then the app quits.",
                "The app crashes whenever I try to swap points in Rewards, since the update.",
            ],
            "short": ["Crashes on the rewards tab", "Rewards tab crash since update", "4.12.0 = crash 😡", "Can't open rewards, it crashes", "Rewards tab kills the app"],
            "detail": [
                "The rest of the app works, it's only the Rewards tab.", "Everything was fine before the update.",
                "Step counter works, but Rewards is impossible.", "My partner has the same problem on their phone.", "I'm using my {device}.",
            ],
            "title": ["Rewards tab crash", "Crashing since update", "4.12.0 is broken", "Can't open Rewards"],
            "topic": ["the Rewards tab crash"],
        },
        "es": {
            "core": [
                "Desde la actualización 4.12.0 la app se cierra al abrir la pestaña Recompensas.",
                "No puedo canjear mis puntos: se cuelga al entrar en Recompensas.",
                "La nueva versión se cierra en cuanto toco Recompensas.",
                "Actualicé y ahora la pestaña de recompensas cierra la app.",
            ],
            "short": ["Se cuelga en Recompensas", "Actualización 4.12.0 = cierre 😡", "Recompensas no abre, se cierra"],
            "detail": ["El resto de la app funciona.", "Antes de actualizar iba perfecto."],
            "title": ["Se cierra en Recompensas", "Fallo tras actualizar"],
            "topic": ["el cierre en Recompensas"],
        },
        "de": {
            "core": [
                "Seit dem Update 4.12.0 stürzt die App ab, sobald ich den Tab Prämien öffne.",
                "Ich kann meine Punkte nicht einlösen, die App schließt sich beim Tab Prämien.",
                "Die neue Version stürzt im Prämien-Bereich sofort ab.",
                "Nach dem Update: Prämien antippen und die App ist weg.",
            ],
            "short": ["Absturz im Prämien-Tab", "Update 4.12.0 = Absturz 😡", "Prämien öffnen = Absturz"],
            "detail": ["Der Rest der App funktioniert.", "Vor dem Update lief alles."],
            "title": ["Absturz bei Prämien", "Update kaputt"],
            "topic": ["den Absturz bei Prämien"],
        },
    },
    "cashout.gift_card_issue": {
        "fr": {
            "core": [
                "J'ai échangé mes points contre une carte cadeau {brand} de {amount} mais je n'ai jamais reçu le code.",
                "Le code de la carte cadeau {brand} que j'ai reçu est invalide, le site le refuse.",
                "Ma carte cadeau {brand} affiche un solde de 0 € alors que je ne l'ai jamais utilisée.",
                "Commande de carte cadeau {brand} bloquée « en préparation » depuis {days} jours.",
                "Le mail avec ma carte cadeau {brand} n'est jamais arrivé, même pas dans les spams.",
                "Le code {brand} est marqué comme déjà utilisé alors que je viens de le recevoir.",
                "J'ai commandé une carte {brand} de {amount}, les points ont été retirés mais pas de carte.",
                "La carte cadeau {brand} a expiré avant même que je puisse l'utiliser.",
                "On m'a envoyé une carte {brand} de 5 € au lieu de {amount}.",
            ],
            "short": ["Carte cadeau jamais reçue", "Code {brand} invalide !", "Ma carte cadeau ne marche pas", "Toujours pas reçu ma carte {brand}", "Code carte cadeau déjà utilisé ??"],
            "detail": [
                "J'ai bien vérifié mes spams.", "Le service client de {brand} me dit de voir avec vous.",
                "J'ai fait une capture d'écran du message d'erreur.", "C'était ma première conversion, ça commence mal.", "Mes points ont bien été débités.",
            ],
            "title": ["Carte cadeau non reçue", "Code carte cadeau invalide", "Problème carte {brand}", "Carte cadeau {brand}"],
            "topic": ["ma carte cadeau {brand}", "le code de ma carte cadeau"],
        },
        "en": {
            "core": [
                "I swapped my points for a {amount} {brand} gift card but never got the code.",
                "The {brand} gift card code I received is invalid, the website rejects it.",
                "My {brand} gift card shows a balance of zero and I've never used it.",
                "Gift card order for {brand} stuck on 'preparing' for {days} days.",
                "The email with my {brand} gift card never arrived, not even in spam.",
                "The {brand} code says already redeemed, I only just got it.",
                "Ordered a {amount} {brand} card, points were taken but no card.",
                "The {brand} gift card expired before I could even use it.",
                "I was sent a £5 {brand} card instead of {amount}.",
            ],
            "short": ["Gift card never received", "Invalid {brand} code!", "My gift card doesn't work", "Still no {brand} card", "Gift card code already used??"],
            "detail": ["I've checked my spam folder.", "{brand} customer service says to talk to you.", "I took a screenshot of the error.", "It was my first redemption, great start.", "The points were definitely taken."],
            "title": ["Gift card not received", "Invalid gift card code", "{brand} card problem"],
            "topic": ["my {brand} gift card", "my gift card code"],
        },
        "es": {
            "core": [
                "Cambié mis puntos por una tarjeta regalo de {brand} de {amount} y nunca recibí el código.",
                "El código de la tarjeta regalo {brand} no es válido, la web lo rechaza.",
                "El pedido de la tarjeta regalo {brand} lleva {days} días 'en preparación'.",
                "Me quitaron los puntos pero la tarjeta {brand} no llegó.",
            ],
            "short": ["Tarjeta regalo nunca recibida", "Código {brand} inválido", "La tarjeta regalo no funciona"],
            "detail": ["He mirado en spam.", "En {brand} me dicen que hable con vosotros."],
            "title": ["Tarjeta regalo no recibida", "Código inválido"],
            "topic": ["mi tarjeta regalo"],
        },
        "de": {
            "core": [
                "Ich habe meine Punkte gegen einen {brand}-Gutschein über {amount} getauscht, aber nie einen Code bekommen.",
                "Der {brand}-Gutscheincode ist ungültig, die Website lehnt ihn ab.",
                "Die Gutscheinbestellung für {brand} hängt seit {days} Tagen auf 'in Vorbereitung'.",
                "Der {brand}-Code ist angeblich schon eingelöst, dabei habe ich ihn gerade erst bekommen.",
            ],
            "short": ["Gutschein nie erhalten", "{brand}-Code ungültig!", "Gutschein funktioniert nicht"],
            "detail": ["Spam-Ordner habe ich geprüft.", "Der {brand}-Kundenservice schickt mich zu Ihnen."],
            "title": ["Gutschein nicht erhalten", "Gutscheincode ungültig"],
            "topic": ["meinen Gutschein"],
        },
    },
    "account.login": {
        "fr": {
            "core": [
                "Je n'arrive plus à me connecter à mon compte, l'appli me dit que mon mot de passe est incorrect.",
                "Le code de vérification par SMS n'arrive jamais, impossible de me connecter.",
                "La connexion avec Google ne fonctionne plus, ça tourne dans le vide.",
                "Connexion avec Apple impossible depuis que j'ai changé de téléphone.",
                "Le lien de réinitialisation du mot de passe est expiré à chaque fois que je clique dessus.",
                "L'appli me déconnecte tout le temps et je dois me reconnecter plusieurs fois par jour.",
                "J'ai changé de téléphone et je ne retrouve plus mon compte avec tous mes points.",
                "Quand je me connecte avec Facebook ça me crée un nouveau compte vide.",
                "Message « erreur de connexion » dès que je rentre mon email et mon mot de passe.",
            ],
            "short": ["Impossible de me connecter", "Code de connexion jamais reçu", "Déconnectée sans arrêt", "Mot de passe refusé alors qu'il est bon", "Je n'arrive plus à accéder à mon compte"],
            "detail": ["J'ai essayé en wifi et en 4G.", "J'ai réinitialisé mon mot de passe deux fois.", "J'ai plus de {points} sur ce compte, je ne veux pas les perdre.", "Ça marchait très bien jusqu'à la semaine dernière."],
            "title": ["Connexion impossible", "Problème de mot de passe", "Je n'arrive pas à me connecter"],
            "topic": ["mon problème de connexion", "l'accès à mon compte"],
        },
        "en": {
            "core": [
                "I can't log in anymore, the app says my password is wrong.",
                "The SMS verification code never arrives so I can't sign in.",
                "Sign in with Google doesn't work anymore, it just spins.",
                "Can't sign in with Apple since I changed phones.",
                "The password reset link has expired every time I click it.",
                "The app keeps logging me out and I have to sign in several times a day.",
                "I changed phones and can't find my account with all my points.",
                "Logging in with Facebook creates a brand new empty account.",
                "'Login error' as soon as I enter my email and password.",
            ],
            "short": ["Can't log in", "Login code never arrives", "Keeps logging me out", "Password rejected but it's correct", "Locked out of my account"],
            "detail": ["Tried on wifi and 4G.", "Reset my password twice.", "I have over {points} on this account, I don't want to lose them.", "It worked fine until last week."],
            "title": ["Can't log in", "Password problem", "Login issue"],
            "topic": ["my login problem", "access to my account"],
        },
        "es": {
            "core": ["No puedo iniciar sesión, dice que la contraseña es incorrecta.", "El código por SMS nunca llega, imposible entrar.", "El inicio de sesión con Google no funciona.", "Cambié de móvil y no encuentro mi cuenta con mis puntos."],
            "short": ["No puedo entrar", "El código SMS no llega", "Me cierra la sesión todo el rato"],
            "detail": ["Lo he probado con wifi y con datos.", "He cambiado la contraseña dos veces."],
            "title": ["No puedo iniciar sesión", "Problema de acceso"],
            "topic": ["el acceso a mi cuenta"],
        },
        "de": {
            "core": ["Ich kann mich nicht mehr anmelden, angeblich ist das Passwort falsch.", "Der SMS-Code kommt nie an, Anmeldung unmöglich.", "Die Anmeldung mit Google funktioniert nicht mehr.", "Die App meldet mich ständig ab."],
            "short": ["Login unmöglich", "SMS-Code kommt nicht", "Ständig abgemeldet"],
            "detail": ["WLAN und mobile Daten probiert.", "Passwort schon zweimal zurückgesetzt."],
            "title": ["Anmeldung geht nicht", "Login-Problem"],
            "topic": ["meine Anmeldung"],
        },
    },
    EMERGING: {
        "fr": {
            "core": [
                "Le classement du défi d'équipe ne se met plus à jour depuis {few} jours.",
                "Impossible d'inviter mes collègues dans mon équipe, le lien d'invitation ne fonctionne pas.",
                "Mon amie a reçu l'invitation à rejoindre mon équipe mais ça lui affiche « équipe introuvable ».",
                "Dans le défi d'équipe, nos pas ne sont pas additionnés : on est bloqués à 0.",
                "Le classement des équipes affiche encore les scores de la semaine dernière.",
                "L'invitation d'équipe expire immédiatement, personne ne peut nous rejoindre.",
                "Le nouveau défi d'équipe est sympa mais le classement ne bouge pas alors qu'on a fait plus de {steps} pas.",
                "Je ne peux pas quitter mon équipe pour en rejoindre une autre, le bouton ne fait rien.",
                "Notre équipe a gagné le défi mais on n'apparaît pas dans le classement final.",
            ],
            "short": ["Classement des défis d'équipe bloqué", "Invitations d'équipe qui ne marchent pas", "Défi d'équipe : le classement ne bouge pas", "Impossible de rejoindre une équipe", "Le classement d'équipe est figé"],
            "detail": [
                "On est 5 dans l'équipe et c'est pareil pour tout le monde.", "On avait lancé le défi au boulot, tout le monde est déçu.",
                "Nos pas individuels sont bien comptés, c'est juste le total d'équipe.", "J'ai renvoyé l'invitation trois fois.",
            ],
            "title": ["Défi d'équipe bloqué", "Invitation équipe", "Classement équipe pas à jour"],
            "topic": ["le défi d'équipe", "les invitations d'équipe"],
        },
        "en": {
            "core": [
                "The team challenge leaderboard hasn't updated for {few} days.",
                "Can't invite my colleagues to my team, the invite link doesn't work.",
                "My friend got the team invitation but it says 'team not found'.",
                "Our steps aren't added up in the team challenge, we're stuck at 0.",
                "The team leaderboard still shows last week's scores.",
                "Team invites expire instantly, nobody can join us.",
                "The new team challenges are fun but the leaderboard doesn't move even though we did over {steps} steps.",
                "I can't leave my team to join another one, the button does nothing.",
                "Our team won the challenge but we're not on the final leaderboard.",
            ],
            "short": ["Team leaderboard stuck", "Team invites don't work", "Team challenge leaderboard frozen", "Can't join a team", "Team challenge broken"],
            "detail": ["There are 5 of us and it's the same for everyone.", "We started it at work and everyone's disappointed.", "Our individual steps count fine, it's just the team total.", "I've resent the invite three times."],
            "title": ["Team challenge stuck", "Team invitation", "Leaderboard not updating"],
            "topic": ["the team challenge", "team invitations"],
        },
        "es": {
            "core": ["La clasificación del reto por equipos no se actualiza desde hace {few} días.", "No puedo invitar a mis compañeros a mi equipo, el enlace no funciona.", "En el reto por equipos no se suman nuestros pasos.", "La invitación al equipo caduca al instante."],
            "short": ["Clasificación de equipos bloqueada", "Invitaciones de equipo no funcionan", "No puedo unirme a un equipo"],
            "detail": ["Somos 5 en el equipo y nos pasa a todos.", "Los pasos individuales sí cuentan."],
            "title": ["Reto por equipos", "Invitación de equipo"],
            "topic": ["el reto por equipos"],
        },
        "de": {
            "core": ["Die Rangliste der Team-Challenge aktualisiert sich seit {few} Tagen nicht.", "Ich kann meine Kollegen nicht ins Team einladen, der Einladungslink geht nicht.", "In der Team-Challenge werden unsere Schritte nicht addiert.", "Die Team-Einladung läuft sofort ab."],
            "short": ["Team-Rangliste hängt", "Team-Einladungen funktionieren nicht", "Kann keinem Team beitreten"],
            "detail": ["Wir sind 5 im Team, bei allen gleich.", "Die eigenen Schritte zählen normal."],
            "title": ["Team-Challenge hängt", "Team-Einladung"],
            "topic": ["die Team-Challenge"],
        },
    },
    "tracking.steps_not_counted": {
        "fr": {
            "core": [
                "L'appli ne compte pas mes pas : j'ai fait {steps} pas aujourd'hui et elle en affiche à peine la moitié.",
                "Mon compteur reste bloqué à 0 pas toute la journée.",
                "Les pas faits le matin ne sont pas comptés, seulement ceux de l'après-midi.",
                "J'ai marché {km} km hier et l'appli n'a rien enregistré.",
                "Le compteur de pas s'arrête dès que l'écran est éteint.",
                "Mon podomètre indique {steps} pas, Marcheo beaucoup moins.",
                "Les pas de ma randonnée de dimanche n'ont jamais été comptés.",
                "Depuis quelques jours mes pas ne sont plus comptabilisés du tout.",
                "Il manque des milliers de pas chaque jour par rapport au podomètre du téléphone.",
            ],
            "short": ["Ne compte pas mes pas", "Compteur bloqué à 0", "La moitié de mes pas disparaissent", "Pas non comptabilisés", "Mes pas ne sont plus comptés"],
            "detail": ["J'ai autorisé l'activité physique dans les réglages.", "J'ai désactivé l'économie de batterie comme conseillé.", "Le téléphone est dans ma poche tout le temps.", "Je marche au moins 1 h par jour pour aller au travail.", "C'est sur un {device}."],
            "title": ["Pas non comptés", "Compteur de pas à 0", "Pas manquants"],
            "topic": ["le comptage de mes pas", "mes pas non comptés"],
        },
        "en": {
            "core": [
                "The app doesn't count my steps: I did {steps} steps today and it shows barely half.",
                "My step counter stays stuck at 0 all day.",
                "Morning steps aren't counted, only the afternoon ones.",
                "Walked {km} km yesterday and the app recorded nothing.",
                "The step counter stops as soon as the screen is off.",
                "My pedometer says {steps} steps, Marcheo way fewer.",
                "The steps from my Sunday hike were never counted.",
                "For a few days now my steps aren't counted at all.",
                "Thousands of steps missing every day compared with the phone's pedometer.",
            ],
            "short": ["Doesn't count my steps", "Counter stuck at 0", "Half my steps disappear", "Steps not counted", "My steps aren't counted anymore"],
            "detail": ["Physical activity permission is on.", "I turned off battery saver as suggested.", "The phone is in my pocket the whole time.", "I walk at least an hour a day to work.", "This is on my {device}."],
            "title": ["Steps not counted", "Step counter at 0", "Missing steps"],
            "topic": ["my step count", "my missing steps"],
        },
        "es": {
            "core": ["La app no cuenta mis pasos: hoy hice {steps} pasos y marca la mitad.", "El contador se queda en 0 todo el día.", "Caminé {km} km ayer y no registró nada.", "Los pasos de la mañana no se cuentan."],
            "short": ["No cuenta mis pasos", "Contador en 0", "Faltan pasos"],
            "detail": ["He dado permiso de actividad física.", "Llevo el móvil en el bolsillo siempre."],
            "title": ["Pasos no contados", "Contador en 0"],
            "topic": ["el contador de pasos"],
        },
        "de": {
            "core": ["Die App zählt meine Schritte nicht: heute {steps} Schritte, angezeigt wird kaum die Hälfte.", "Der Schrittzähler bleibt den ganzen Tag auf 0.", "Ich bin gestern {km} km gelaufen und nichts wurde erfasst.", "Schritte am Morgen werden nicht gezählt."],
            "short": ["Zählt meine Schritte nicht", "Zähler bleibt auf 0", "Schritte fehlen"],
            "detail": ["Die Berechtigung für Aktivität ist an.", "Energiesparmodus ist aus."],
            "title": ["Schritte nicht gezählt", "Schrittzähler bei 0"],
            "topic": ["den Schrittzähler"],
        },
    },
    "tracking.health_sync": {
        "fr": {
            "core": [
                "La synchronisation avec {health} ne fonctionne plus, mes pas ne remontent pas.",
                "L'appli n'arrive pas à lire les données de {health} alors que j'ai tout autorisé.",
                "Depuis que j'ai connecté {health}, mes pas sont comptés en double puis supprimés.",
                "La synchro {health} ne se fait qu'une fois par jour, le soir, et il manque des pas.",
                "Message « autorisation refusée » avec {health} alors que l'accès est activé.",
                "Ma montre {watch} envoie bien les pas à {health} mais Marcheo ne les récupère pas.",
                "Après la mise à jour, l'appli ne se synchronise plus avec {health}.",
                "Impossible de relier {health}, le bouton « Connecter » ne fait rien.",
            ],
            "short": ["Synchro {health} en panne", "Ne se synchronise plus avec {health}", "{health} non reconnu", "Problème de synchronisation", "Pas de synchro depuis la maj"],
            "detail": ["J'ai supprimé et redonné les autorisations.", "Les pas apparaissent bien dans {health}.", "J'utilise une montre {watch}.", "Ça marchait avant que je change de téléphone."],
            "title": ["Synchronisation {health}", "Pas de synchro", "Problème de connexion à {health}"],
            "topic": ["la synchronisation avec {health}"],
        },
        "en": {
            "core": [
                "Sync with {health} has stopped working, my steps don't come through.",
                "The app can't read data from {health} even though I allowed everything.",
                "Since I connected {health}, my steps get counted twice and then deleted.",
                "The {health} sync only happens once a day, in the evening, and steps are missing.",
                "'Permission denied' with {health} although access is switched on.",
                "My {watch} sends the steps to {health} but Marcheo doesn't pick them up.",
                "After the update the app no longer syncs with {health}.",
                "Can't link {health}, the 'Connect' button does nothing.",
            ],
            "short": ["{health} sync broken", "No longer syncs with {health}", "{health} not recognised", "Sync problem", "No sync since the update"],
            "detail": ["I removed and re-granted the permissions.", "The steps show up fine in {health}.", "I use my {watch}.", "It worked before I changed phones."],
            "title": ["{health} sync", "Not syncing", "Can't connect {health}"],
            "topic": ["the {health} sync"],
        },
        "es": {
            "core": ["La sincronización con {health} ya no funciona.", "La app no lee los datos de {health} aunque di todos los permisos.", "Mi reloj {watch} manda los pasos a {health} pero Marcheo no los recoge.", "Después de actualizar ya no sincroniza con {health}."],
            "short": ["No sincroniza con {health}", "Sincronización rota", "{health} no conecta"],
            "detail": ["En {health} los pasos salen bien.", "He quitado y vuelto a dar permisos."],
            "title": ["Sincronización {health}", "No sincroniza"],
            "topic": ["la sincronización con {health}"],
        },
        "de": {
            "core": ["Die Synchronisierung mit {health} funktioniert nicht mehr.", "Die App liest keine Daten aus {health}, obwohl alles erlaubt ist.", "Meine {watch} schickt die Schritte an {health}, aber Marcheo übernimmt sie nicht.", "Seit dem Update keine Synchronisierung mit {health}."],
            "short": ["Sync mit {health} kaputt", "Keine Synchronisierung", "{health} wird nicht erkannt"],
            "detail": ["In {health} sind die Schritte da.", "Berechtigungen neu erteilt, nichts."],
            "title": ["{health}-Sync", "Keine Synchronisierung"],
            "topic": ["die Synchronisierung mit {health}"],
        },
    },
    "rewards.missing_points": {
        "fr": {
            "core": [
                "Mes points de la semaine dernière ont disparu de mon solde.",
                "Le bonus de connexion quotidienne n'a pas été ajouté depuis {few} jours.",
                "J'avais {points} hier soir et ce matin il m'en reste beaucoup moins.",
                "Les points de l'objectif hebdomadaire ne m'ont jamais été versés.",
                "Mes pas sont bien comptés mais ils ne sont pas convertis en points.",
                "Le palier des 10 000 pas est validé mais je n'ai pas reçu les points.",
                "Mon solde de points est revenu à zéro sans raison.",
                "Il manque des points pour hier : {steps} pas et seulement 12 points.",
                "Les points gagnés pendant mes vacances n'apparaissent nulle part.",
            ],
            "short": ["Points disparus !", "Mes points ne sont pas crédités", "Solde remis à zéro ??", "Il manque des points", "Points du bonus jamais reçus"],
            "detail": ["J'ai fait des captures d'écran de mon solde.", "Ça fait plusieurs fois que ça arrive.", "J'étais presque au palier pour convertir.", "Je vérifie tous les soirs mon solde."],
            "title": ["Points manquants", "Points disparus", "Points non crédités"],
            "topic": ["mes points manquants", "mon solde de points"],
        },
        "en": {
            "core": [
                "My points from last week have vanished from my balance.",
                "The daily login bonus hasn't been added for {few} days.",
                "I had {points} last night and this morning there are far fewer.",
                "The weekly goal points were never paid out.",
                "My steps are counted but they aren't converted into points.",
                "The 10,000-step milestone is ticked but I didn't get the points.",
                "My points balance went back to zero for no reason.",
                "Points missing for yesterday: {steps} steps and only 12 points.",
                "The points I earned on holiday don't show up anywhere.",
            ],
            "short": ["Points disappeared!", "Points not credited", "Balance reset to zero??", "Points missing", "Bonus points never received"],
            "detail": ["I took screenshots of my balance.", "This has happened several times.", "I was nearly at the cash-out level.", "I check my balance every evening."],
            "title": ["Missing points", "Points disappeared", "Points not credited"],
            "topic": ["my missing points", "my points balance"],
        },
        "es": {
            "core": ["Mis puntos de la semana pasada han desaparecido.", "El bonus diario no se suma desde hace {few} días.", "Tenía {points} anoche y esta mañana muchos menos.", "Los pasos cuentan pero no se convierten en puntos."],
            "short": ["¡Puntos desaparecidos!", "No me suman los puntos", "Faltan puntos"],
            "detail": ["Tengo capturas de pantalla.", "Ya me ha pasado varias veces."],
            "title": ["Puntos perdidos", "Faltan puntos"],
            "topic": ["mis puntos"],
        },
        "de": {
            "core": ["Meine Punkte von letzter Woche sind verschwunden.", "Der tägliche Bonus wird seit {few} Tagen nicht gutgeschrieben.", "Gestern Abend hatte ich {points}, heute viel weniger.", "Die Schritte werden gezählt, aber nicht in Punkte umgewandelt."],
            "short": ["Punkte verschwunden!", "Punkte nicht gutgeschrieben", "Es fehlen Punkte"],
            "detail": ["Ich habe Screenshots gemacht.", "Das passiert nicht zum ersten Mal."],
            "title": ["Fehlende Punkte", "Punkte weg"],
            "topic": ["meine Punkte"],
        },
    },
    "rewards.earning_rate_drop": {
        "fr": {
            "core": [
                "Avant on gagnait bien plus de points pour le même nombre de pas, là c'est ridicule.",
                "Il faut maintenant {steps} pas pour gagner ce qu'on gagnait avec la moitié.",
                "Les gains ont été divisés par deux sans prévenir.",
                "Avec la nouvelle grille, il me faudrait un an pour avoir 10 €.",
                "Vous avez encore baissé les points par pas, ça ne vaut plus le coup.",
                "Le plafond de points par jour a baissé, je suis bloquée dès midi.",
                "Je gagne 3 fois moins qu'au début pour la même marche quotidienne.",
                "Les points par pub ont diminué, il faut regarder 10 vidéos pour 1 centime.",
                "Le barème a changé et personne n'a été prévenu.",
            ],
            "short": ["Gains ridicules maintenant", "Les points ont été divisés par 2", "Ça ne rapporte plus rien", "Avant c'était mieux", "Barème revu à la baisse 👎"],
            "detail": ["J'ai comparé avec mes captures d'il y a 6 mois.", "J'avais recommandé l'appli à toute ma famille.", "Je marche autant qu'avant, voire plus.", "C'est clairement pour pousser à regarder plus de pubs."],
            "title": ["Baisse des gains", "Moins de points qu'avant", "Nouveau barème"],
            "topic": ["la baisse des gains"],
        },
        "en": {
            "core": [
                "We used to earn far more points for the same steps, now it's ridiculous.",
                "It now takes {steps} steps to earn what half that used to.",
                "Earnings have been halved without warning.",
                "With the new rates it would take me a year to get £10.",
                "You've cut the points per step again, it's not worth it anymore.",
                "The daily points cap went down, I'm maxed out by lunchtime.",
                "I earn 3 times less than at the start for the same daily walk.",
                "Points per ad have dropped, you need to watch 10 videos for a penny.",
                "The rates changed and nobody was told.",
            ],
            "short": ["Earnings are a joke now", "Points have been halved", "Barely earns anything now", "It used to be better", "Rates slashed 👎"],
            "detail": ["I compared with screenshots from 6 months ago.", "I'd recommended it to my whole family.", "I walk as much as before, if not more.", "Clearly to push us to watch more ads."],
            "title": ["Lower earnings", "Fewer points than before", "New rates"],
            "topic": ["the lower earnings"],
        },
        "es": {
            "core": ["Antes se ganaban muchos más puntos por los mismos pasos.", "Ahora hacen falta {steps} pasos para ganar lo que antes con la mitad.", "Han reducido las ganancias a la mitad sin avisar.", "Gano tres veces menos que al principio."],
            "short": ["Ganancias ridículas", "Ya no compensa", "Han bajado los puntos"],
            "detail": ["Camino lo mismo que antes.", "Lo había recomendado a toda mi familia."],
            "title": ["Bajan las ganancias", "Menos puntos"],
            "topic": ["la bajada de puntos"],
        },
        "de": {
            "core": ["Früher gab es viel mehr Punkte für dieselben Schritte.", "Jetzt braucht man {steps} Schritte für das, was früher die Hälfte brachte.", "Die Erträge wurden ohne Ankündigung halbiert.", "Ich verdiene dreimal weniger als am Anfang."],
            "short": ["Lohnt sich nicht mehr", "Punkte halbiert", "Früher war es besser"],
            "detail": ["Ich laufe genauso viel wie vorher.", "Ich hatte die App der ganzen Familie empfohlen."],
            "title": ["Weniger Punkte", "Neue Punktetabelle"],
            "topic": ["die gesunkenen Punkte"],
        },
    },
    "rewards.referral_bonus": {
        "fr": {
            "core": [
                "J'ai parrainé une amie avec mon code mais je n'ai pas reçu le bonus de parrainage.",
                "Mon filleul s'est inscrit avec mon code il y a {days} jours et toujours pas de points.",
                "Le code de parrainage est refusé : « code invalide ».",
                "Mon frère a utilisé mon lien de parrainage mais il n'apparaît pas dans mes filleuls.",
                "On m'avait promis {points} pour chaque filleul, j'en ai reçu zéro.",
                "Ma filleule a atteint les 50 000 pas demandés mais le bonus ne s'est pas débloqué.",
                "Je me suis inscrit avec un code parrain et je n'ai pas eu mon bonus de bienvenue.",
                "Le bonus de parrainage a été annulé sans explication.",
            ],
            "short": ["Bonus de parrainage jamais reçu", "Code parrain refusé", "Parrainage qui ne marche pas", "Où est mon bonus filleul ?", "Parrainage bidon"],
            "detail": ["J'ai une capture de son inscription avec mon code.", "On s'est inscrits le même jour.", "J'ai parrainé 3 personnes, rien pour aucune.", "Il a bien validé son compte."],
            "title": ["Bonus de parrainage", "Parrainage non crédité", "Code parrain"],
            "topic": ["mon bonus de parrainage"],
        },
        "en": {
            "core": [
                "I referred a friend with my code but didn't get the referral bonus.",
                "My referral signed up with my code {days} days ago and still no points.",
                "The referral code is rejected: 'invalid code'.",
                "My brother used my referral link but he doesn't show up in my referrals.",
                "I was promised {points} per referral and got zero.",
                "My referral reached the 50,000 steps required but the bonus never unlocked.",
                "I signed up with a referral code and never got my welcome bonus.",
                "The referral bonus was cancelled with no explanation.",
            ],
            "short": ["Referral bonus never received", "Referral code rejected", "Referrals don't work", "Where's my referral bonus?", "Referral scheme is a joke"],
            "detail": ["I have a screenshot of him signing up with my code.", "We signed up on the same day.", "I referred 3 people, nothing for any of them.", "He did verify his account."],
            "title": ["Referral bonus", "Referral not credited", "Referral code"],
            "topic": ["my referral bonus"],
        },
        "es": {
            "core": ["Invité a una amiga con mi código y no recibí el bono de referido.", "Mi referido se registró hace {days} días y sigo sin puntos.", "El código de invitación da 'código no válido'.", "Me registré con un código y no tuve el bono de bienvenida."],
            "short": ["Bono de referido nunca recibido", "Código de invitación rechazado", "Las invitaciones no funcionan"],
            "detail": ["Tengo captura de su registro.", "Invité a 3 personas y nada."],
            "title": ["Bono de referido", "Código de invitación"],
            "topic": ["mi bono de referido"],
        },
        "de": {
            "core": ["Ich habe eine Freundin mit meinem Code geworben, aber keinen Bonus bekommen.", "Mein Geworbener hat sich vor {days} Tagen angemeldet, noch keine Punkte.", "Der Empfehlungscode wird als 'ungültig' abgelehnt.", "Ich habe mich mit einem Code angemeldet und keinen Willkommensbonus erhalten."],
            "short": ["Empfehlungsbonus nie erhalten", "Code abgelehnt", "Freunde werben funktioniert nicht"],
            "detail": ["Ich habe einen Screenshot der Anmeldung.", "Drei Leute geworben, nichts."],
            "title": ["Empfehlungsbonus", "Freundschaftscode"],
            "topic": ["meinen Empfehlungsbonus"],
        },
    },
    "rewards.cashback_offer": {
        "fr": {
            "core": [
                "J'ai acheté via l'offre cashback {brand2} il y a {weeks} semaines et le cashback n'est toujours pas validé.",
                "Mon achat de {amount2} avec l'offre cashback {brand2} n'apparaît pas dans mes gains.",
                "Le cashback affiché était de 8 % mais je n'ai reçu que 1 %.",
                "Le cashback {brand2} est passé de « en attente » à « refusé » sans explication.",
                "J'ai souscrit à l'offre partenaire pour le bonus cashback et rien n'a été crédité.",
                "L'offre cashback {brand2} renvoie vers une page d'erreur, impossible d'en profiter.",
                "Mon cashback est en attente depuis {days} jours, c'est normal ?",
                "Achat fait en passant par l'appli, confirmation à l'appui, mais aucun cashback.",
            ],
            "short": ["Cashback jamais crédité", "Cashback refusé sans raison", "Offres cashback bidon", "Cashback en attente depuis des semaines"],
            "detail": ["J'ai bien désactivé mon bloqueur de pubs.", "J'ai gardé la confirmation de commande.", "Je n'ai pas retourné l'article.", "Le partenaire dit que c'est à vous de valider."],
            "title": ["Cashback non reçu", "Offre cashback", "Cashback refusé"],
            "topic": ["mon cashback {brand2}"],
        },
        "en": {
            "core": [
                "I bought through the {brand2} cashback offer {weeks} weeks ago and the cashback still isn't confirmed.",
                "My {amount2} purchase with the {brand2} cashback offer doesn't appear in my earnings.",
                "The cashback shown was 8% but I only got 1%.",
                "My {brand2} cashback went from 'pending' to 'declined' with no explanation.",
                "I signed up to the partner offer for the cashback bonus and nothing was credited.",
                "The {brand2} cashback offer leads to an error page, can't use it.",
                "My cashback has been pending for {days} days, is that normal?",
                "Bought through the app, have the confirmation, but no cashback.",
            ],
            "short": ["Cashback never credited", "Cashback declined for no reason", "Cashback offers are fake", "Cashback pending for weeks"],
            "detail": ["I turned my ad blocker off.", "I kept the order confirmation.", "I didn't return the item.", "The retailer says it's up to you to approve it."],
            "title": ["Cashback not received", "Cashback offer", "Cashback declined"],
            "topic": ["my {brand2} cashback"],
        },
        "es": {
            "core": ["Compré con la oferta de cashback de {brand2} hace {weeks} semanas y no me lo validan.", "Mi compra de {amount2} con cashback no aparece.", "El cashback pasó de 'pendiente' a 'rechazado' sin explicación.", "La oferta de {brand2} da error."],
            "short": ["Cashback nunca abonado", "Cashback rechazado", "Ofertas de cashback falsas"],
            "detail": ["Guardé la confirmación del pedido.", "No devolví nada."],
            "title": ["Cashback no recibido", "Cashback rechazado"],
            "topic": ["mi cashback"],
        },
        "de": {
            "core": ["Ich habe vor {weeks} Wochen über das {brand2}-Cashback gekauft, es ist immer noch nicht bestätigt.", "Mein Einkauf über {amount2} mit Cashback taucht nicht auf.", "Das Cashback ging ohne Erklärung von 'ausstehend' auf 'abgelehnt'.", "Das {brand2}-Angebot führt auf eine Fehlerseite."],
            "short": ["Cashback nie gutgeschrieben", "Cashback abgelehnt", "Cashback-Angebote sind Fake"],
            "detail": ["Die Bestellbestätigung habe ich.", "Nichts zurückgeschickt."],
            "title": ["Cashback fehlt", "Cashback abgelehnt"],
            "topic": ["mein Cashback"],
        },
    },
    "cashout.minimum_threshold": {
        "fr": {
            "core": [
                "Le seuil minimum pour un virement est passé à {threshold}, c'est inaccessible.",
                "Il faut {points} pour pouvoir retirer quoi que ce soit, c'est beaucoup trop.",
                "J'ai {amount} sur mon compte mais je ne peux rien retirer tant que je n'ai pas atteint le minimum.",
                "Vous avez relevé le minimum de retrait juste quand j'allais l'atteindre.",
                "Le minimum de {threshold} pour le virement est décourageant, avant c'était 10 €.",
                "Pourquoi un seuil aussi haut pour les cartes cadeaux ?",
                "À ce rythme il me faudra 8 mois pour atteindre le seuil de retrait.",
                "Baissez le seuil de retrait svp, on ne voit jamais la couleur de l'argent.",
            ],
            "short": ["Seuil de retrait trop élevé", "Minimum de retrait inaccessible", "Seuil de virement ridicule", "Baissez le minimum !"],
            "detail": ["J'y étais presque.", "J'utilise l'appli tous les jours depuis {months} mois.", "Sur les autres applis c'est 5 €.", "On a l'impression que c'est fait pour qu'on n'y arrive jamais."],
            "title": ["Seuil minimum", "Minimum de retrait", "Seuil trop haut"],
            "topic": ["le seuil de retrait"],
        },
        "en": {
            "core": [
                "The minimum for a bank transfer went up to {threshold}, it's out of reach.",
                "You need {points} before you can withdraw anything, that's far too much.",
                "I have {amount} in my account but can't withdraw until I hit the minimum.",
                "You raised the withdrawal minimum just as I was about to reach it.",
                "A {threshold} minimum for cash-out is off-putting, it used to be £10.",
                "Why is the threshold so high for gift cards?",
                "At this rate it'll take me 8 months to reach the cash-out threshold.",
                "Please lower the withdrawal threshold, we never see the money.",
            ],
            "short": ["Withdrawal threshold too high", "Cash-out minimum unreachable", "Ridiculous minimum", "Lower the minimum!"],
            "detail": ["I was nearly there.", "I've used it every day for {months} months.", "Other apps let you cash out at £5.", "It feels designed so we never get there."],
            "title": ["Minimum threshold", "Withdrawal minimum", "Threshold too high"],
            "topic": ["the withdrawal threshold"],
        },
        "es": {
            "core": ["El mínimo para retirar ha subido a {threshold}, imposible llegar.", "Tengo {amount} y no puedo retirar hasta llegar al mínimo.", "Subisteis el mínimo justo cuando iba a llegar.", "A este ritmo tardaré 8 meses en llegar al mínimo."],
            "short": ["Mínimo de retiro demasiado alto", "Bajad el mínimo", "Umbral inalcanzable"],
            "detail": ["Ya casi llegaba.", "En otras apps son 5 €."],
            "title": ["Mínimo de retiro", "Umbral alto"],
            "topic": ["el mínimo de retiro"],
        },
        "de": {
            "core": ["Die Mindestgrenze für eine Auszahlung liegt jetzt bei {threshold}, unerreichbar.", "Ich habe {amount} auf dem Konto, kann aber erst ab dem Minimum auszahlen.", "Ihr habt das Minimum erhöht, kurz bevor ich es erreicht hätte.", "So brauche ich 8 Monate bis zur Auszahlungsgrenze."],
            "short": ["Auszahlungsgrenze zu hoch", "Minimum senken!", "Mindestbetrag unerreichbar"],
            "detail": ["Ich war fast da.", "Bei anderen Apps sind es 5 €."],
            "title": ["Mindestbetrag", "Auszahlungsgrenze"],
            "topic": ["die Auszahlungsgrenze"],
        },
    },
    "account.banned": {
        "fr": {
            "core": [
                "Mon compte a été suspendu sans explication alors que je n'ai jamais triché.",
                "Compte bloqué pour « activité suspecte » juste après ma demande de virement.",
                "J'ai été banni et j'ai perdu {points}, je veux comprendre pourquoi.",
                "On m'accuse de fraude parce que j'ai fait {steps} pas en une journée, je suis facteur !",
                "Mon compte est désactivé depuis {days} jours et personne ne me répond.",
                "Suspension de compte sans aucun motif, j'avais presque atteint le seuil de retrait.",
                "Mon mari et moi utilisons le même wifi et nos deux comptes ont été bannis.",
                "Compte clôturé pour « violation des conditions » mais je n'ai rien fait d'anormal.",
            ],
            "short": ["Compte banni sans raison", "Compte suspendu injustement", "Banni juste avant mon retrait, bizarre", "Ils bloquent les comptes pour ne pas payer"],
            "detail": ["Je n'utilise aucune appli de triche ni d'émulateur.", "Je marche beaucoup pour mon travail.", "J'ai toujours respecté les règles.", "Je peux fournir toutes les preuves nécessaires."],
            "title": ["Compte suspendu", "Compte banni", "Blocage de compte"],
            "topic": ["la suspension de mon compte"],
        },
        "en": {
            "core": [
                "My account was suspended with no explanation and I've never cheated.",
                "Account blocked for 'suspicious activity' right after I asked for a payout.",
                "I got banned and lost {points}, I want to know why.",
                "Accused of fraud because I did {steps} steps in a day, I'm a postman!",
                "My account has been disabled for {days} days and nobody answers.",
                "Account suspension with no reason given, I was almost at the cash-out threshold.",
                "My husband and I share the same wifi and both our accounts got banned.",
                "Account closed for 'breach of terms' but I did nothing unusual.",
            ],
            "short": ["Banned for no reason", "Account suspended unfairly", "Banned right before my payout, funny that", "They block accounts to avoid paying"],
            "detail": ["I don't use any cheating app or emulator.", "I walk a lot for work.", "I've always followed the rules.", "I can provide any proof you need."],
            "title": ["Account suspended", "Account banned", "Account blocked"],
            "topic": ["my account suspension"],
        },
        "es": {
            "core": ["Me suspendieron la cuenta sin explicación y nunca he hecho trampa.", "Cuenta bloqueada por 'actividad sospechosa' justo después de pedir un pago.", "Me han baneado y he perdido {points}.", "Me acusan de fraude por hacer {steps} pasos en un día, ¡soy cartero!"],
            "short": ["Cuenta bloqueada sin motivo", "Baneado injustamente", "Bloquean cuentas para no pagar"],
            "detail": ["No uso ninguna app para hacer trampas.", "Camino mucho por trabajo."],
            "title": ["Cuenta suspendida", "Cuenta bloqueada"],
            "topic": ["la suspensión de mi cuenta"],
        },
        "de": {
            "core": ["Mein Konto wurde ohne Erklärung gesperrt, obwohl ich nie geschummelt habe.", "Konto wegen 'verdächtiger Aktivität' gesperrt, direkt nach meiner Auszahlungsanfrage.", "Ich wurde gesperrt und habe {points} verloren.", "Betrugsvorwurf, weil ich {steps} Schritte an einem Tag gemacht habe, ich bin Briefträger!"],
            "short": ["Ohne Grund gesperrt", "Konto zu Unrecht gesperrt", "Die sperren Konten, um nicht zu zahlen"],
            "detail": ["Ich nutze keine Cheat-App.", "Ich laufe beruflich viel."],
            "title": ["Konto gesperrt", "Sperrung"],
            "topic": ["die Sperrung meines Kontos"],
        },
    },
    "account.identity_verification": {
        "fr": {
            "core": [
                "On me demande une vérification d'identité pour retirer mes gains mais ma pièce d'identité est refusée à chaque fois.",
                "J'ai envoyé ma carte d'identité il y a {days} jours, la vérification est toujours « en cours ».",
                "Le selfie de vérification est rejeté, « visage non reconnu », alors qu'il est net.",
                "Pourquoi faut-il un justificatif de domicile pour retirer {amount} ?",
                "La vérification d'identité bloque mon virement depuis des semaines.",
                "Mon passeport est refusé comme document valide.",
                "L'étape de vérification plante au moment d'envoyer la photo du document.",
                "Vérification refusée parce que le nom ne correspond pas : j'ai un nom composé.",
            ],
            "short": ["Vérification d'identité sans fin", "Pièce d'identité refusée", "Vérif d'identité bloquée depuis des semaines", "Selfie toujours refusé"],
            "detail": ["Le document est valide jusqu'en 2031.", "J'ai essayé avec une meilleure lumière.", "J'ai renvoyé les documents trois fois.", "Je ne comprends pas pourquoi c'est si compliqué."],
            "title": ["Vérification d'identité", "Document refusé", "Vérification en attente"],
            "topic": ["la vérification de mon identité"],
        },
        "en": {
            "core": [
                "I'm asked to verify my identity to withdraw, but my ID is rejected every time.",
                "I sent my ID {days} days ago and verification still says 'in progress'.",
                "The verification selfie is rejected, 'face not recognised', though it's sharp.",
                "Why do I need proof of address to withdraw {amount}?",
                "Identity verification has been blocking my transfer for weeks.",
                "My passport is rejected as a valid document.",
                "The verification step crashes when I upload the photo of my ID.",
                "Verification refused because the name doesn't match: I have a double-barrelled surname.",
            ],
            "short": ["Endless ID verification", "ID document rejected", "Verification stuck for weeks", "Selfie always rejected"],
            "detail": ["The document is valid until 2031.", "I tried with better lighting.", "I've resent the documents three times.", "I don't get why it's so complicated."],
            "title": ["Identity verification", "Document rejected", "Verification pending"],
            "topic": ["my identity verification"],
        },
        "es": {
            "core": ["Me piden verificar mi identidad para retirar y rechazan mi DNI cada vez.", "Envié mi DNI hace {days} días y sigue 'en revisión'.", "El selfie de verificación siempre sale rechazado.", "La verificación de identidad bloquea mi pago."],
            "short": ["Verificación de identidad eterna", "DNI rechazado", "Selfie rechazado"],
            "detail": ["El documento es válido.", "Lo he enviado tres veces."],
            "title": ["Verificación de identidad", "Documento rechazado"],
            "topic": ["la verificación de identidad"],
        },
        "de": {
            "core": ["Für die Auszahlung soll ich mich verifizieren, aber mein Ausweis wird jedes Mal abgelehnt.", "Ausweis vor {days} Tagen geschickt, Prüfung immer noch 'in Bearbeitung'.", "Das Verifizierungs-Selfie wird abgelehnt, 'Gesicht nicht erkannt'.", "Die Identitätsprüfung blockiert meine Auszahlung."],
            "short": ["Endlose Identitätsprüfung", "Ausweis abgelehnt", "Selfie wird abgelehnt"],
            "detail": ["Der Ausweis ist gültig.", "Schon dreimal hochgeladen."],
            "title": ["Identitätsprüfung", "Ausweis abgelehnt"],
            "topic": ["die Identitätsprüfung"],
        },
    },
    "account.data_deletion": {
        "fr": {
            "core": [
                "Je souhaite que mon compte et toutes mes données soient supprimés, conformément au RGPD.",
                "Merci de supprimer définitivement mon compte Marcheo et les données de santé associées.",
                "J'ai demandé la suppression de mon compte il y a {days} jours et il est toujours actif.",
                "Je ne trouve pas comment supprimer mon compte dans l'application.",
                "Je veux savoir quelles données vous conservez sur moi et les faire effacer.",
                "Suppression de compte demandée, mais je reçois encore vos emails.",
                "Veuillez supprimer mon compte ainsi que l'historique de mes pas et de ma localisation.",
                "Je refuse que mes données de santé soient partagées avec vos partenaires, supprimez mon compte.",
            ],
            "short": ["Comment supprimer mon compte ?", "Je veux supprimer mes données", "Suppression de compte impossible"],
            "detail": ["Je n'utilise plus l'application.", "Merci de me confirmer la suppression par écrit.", "C'est mon droit selon le RGPD.", "Je ne veux plus recevoir de notifications."],
            "title": ["Suppression de compte", "Demande RGPD", "Effacement de mes données"],
            "topic": ["la suppression de mon compte"],
        },
        "en": {
            "core": [
                "Please delete my account and all my data under GDPR.",
                "Please permanently delete my Marcheo account and the associated health data.",
                "I asked for my account to be deleted {days} days ago and it's still active.",
                "I can't find how to delete my account in the app.",
                "I want to know what data you hold about me and have it erased.",
                "Account deletion requested, but I still get your emails.",
                "Please delete my account along with my step and location history.",
                "I don't want my health data shared with your partners, delete my account.",
            ],
            "short": ["How do I delete my account?", "I want my data deleted", "Can't delete my account"],
            "detail": ["I don't use the app anymore.", "Please confirm the deletion in writing.", "It's my right under GDPR.", "I don't want any more notifications."],
            "title": ["Account deletion", "GDPR request", "Delete my data"],
            "topic": ["deleting my account"],
        },
        "es": {
            "core": ["Quiero que borréis mi cuenta y todos mis datos según el RGPD.", "Pedí borrar mi cuenta hace {days} días y sigue activa.", "No encuentro cómo eliminar la cuenta en la app.", "No quiero que compartáis mis datos de salud, borrad mi cuenta."],
            "short": ["¿Cómo borro mi cuenta?", "Quiero borrar mis datos", "No puedo eliminar la cuenta"],
            "detail": ["Ya no uso la app.", "Confirmadme el borrado por escrito."],
            "title": ["Eliminar cuenta", "Solicitud RGPD"],
            "topic": ["el borrado de mi cuenta"],
        },
        "de": {
            "core": ["Bitte löschen Sie mein Konto und alle meine Daten gemäß DSGVO.", "Ich habe vor {days} Tagen die Löschung beantragt, das Konto ist noch aktiv.", "Ich finde in der App nicht, wie man das Konto löscht.", "Meine Gesundheitsdaten sollen nicht geteilt werden, löschen Sie mein Konto."],
            "short": ["Wie lösche ich mein Konto?", "Daten löschen bitte", "Konto löschen geht nicht"],
            "detail": ["Ich nutze die App nicht mehr.", "Bitte bestätigen Sie die Löschung schriftlich."],
            "title": ["Kontolöschung", "DSGVO-Anfrage"],
            "topic": ["die Löschung meines Kontos"],
        },
    },
    "app.bug": {
        "fr": {
            "core": [
                "Le bouton « Convertir » ne fait rien quand j'appuie dessus.",
                "L'écran d'accueil affiche les pas d'hier au lieu d'aujourd'hui.",
                "Les notifications arrivent en anglais alors que mon téléphone est en français.",
                "Le graphique de la semaine est vide alors que j'ai marché tous les jours.",
                "Mon avatar disparaît à chaque fois que je relance l'appli.",
                "Certains textes sont coupés et illisibles sur mon {device}.",
                "L'historique des conversions affiche des dates en 1970.",
                "Le calendrier des objectifs est décalé d'un jour.",
                "Impossible de modifier mon objectif quotidien, il revient toujours à 6 000.",
            ],
            "short": ["Plein de petits bugs", "Bouton convertir qui ne marche pas", "Bug d'affichage", "Appli buguée"],
            "detail": ["C'est sur {device}.", "J'ai la dernière version.", "Ça fait ça depuis plusieurs jours.", "Pas grave mais agaçant."],
            "title": ["Bug affichage", "Bouton qui ne marche pas", "Bug"],
            "topic": ["le bug d'affichage"],
        },
        "en": {
            "core": [
                "The 'Convert' button does nothing when I tap it.",
                "The home screen shows yesterday's steps instead of today's.",
                "Notifications come in French even though my phone is in English.",
                "The weekly chart is empty although I walked every day.",
                "My avatar disappears every time I restart the app.",
                "Some text is cut off and unreadable on my {device}.",
                "The redemption history shows dates in 1970.",
                "The goals calendar is one day off.",
                "Can't change my daily goal, it keeps going back to 6,000.",
            ],
            "short": ["Lots of little bugs", "Convert button doesn't work", "Display bug", "Buggy app"],
            "detail": ["It's on my {device}.", "I'm on the latest version.", "It's been doing this for days.", "Not serious but annoying."],
            "title": ["Display bug", "Button not working", "Bug"],
            "topic": ["the display bug"],
        },
        "es": {
            "core": ["El botón 'Canjear' no hace nada.", "La pantalla de inicio muestra los pasos de ayer.", "El gráfico semanal sale vacío.", "No puedo cambiar mi objetivo diario."],
            "short": ["Muchos bugs", "El botón no funciona", "Error de pantalla"],
            "detail": ["Tengo la última versión.", "Es en un {device}."],
            "title": ["Error", "Botón roto"],
            "topic": ["el error de la app"],
        },
        "de": {
            "core": ["Der Button 'Einlösen' reagiert nicht.", "Der Startbildschirm zeigt die Schritte von gestern.", "Das Wochendiagramm ist leer.", "Ich kann mein Tagesziel nicht ändern."],
            "short": ["Viele kleine Bugs", "Button geht nicht", "Anzeigefehler"],
            "detail": ["Ich habe die neueste Version.", "Auf einem {device}."],
            "title": ["Fehler", "Anzeigefehler"],
            "topic": ["den Fehler in der App"],
        },
    },
    "app.battery": {
        "fr": {
            "core": [
                "L'appli vide ma batterie : {pct} % de consommation en arrière-plan.",
                "Depuis que j'ai installé Marcheo, mon téléphone ne tient plus la journée.",
                "Mon {device} chauffe à cause de l'appli qui tourne en permanence.",
                "La localisation reste activée en continu et ça bouffe la batterie.",
                "Je dois recharger mon téléphone deux fois par jour depuis la mise à jour.",
                "Dans les réglages, Marcheo est l'appli qui consomme le plus, devant Instagram.",
                "L'appli draine la batterie même quand je ne marche pas.",
                "Batterie à plat à 16 h à cause de Marcheo.",
            ],
            "short": ["Vide la batterie", "Énorme conso de batterie", "Batterie à plat en quelques heures", "Trop gourmande en batterie"],
            "detail": ["J'ai désactivé puis réactivé l'actualisation en arrière-plan.", "Mon téléphone n'a qu'un an.", "Sans l'appli, je tiens deux jours."],
            "title": ["Consommation batterie", "Batterie", "Vide la batterie"],
            "topic": ["la consommation de batterie"],
        },
        "en": {
            "core": [
                "The app drains my battery: {pct}% used in the background.",
                "Since installing Marcheo my phone doesn't last the day.",
                "My {device} gets hot because the app is always running.",
                "Location stays on constantly and eats the battery.",
                "I have to charge my phone twice a day since the update.",
                "In settings, Marcheo is the top battery user, ahead of Instagram.",
                "The app drains the battery even when I'm not walking.",
                "Battery dead by 4pm because of Marcheo.",
            ],
            "short": ["Drains the battery", "Huge battery usage", "Battery dead in hours", "Battery hog"],
            "detail": ["I turned background refresh off and on again.", "My phone is only a year old.", "Without the app it lasts two days."],
            "title": ["Battery drain", "Battery", "Kills my battery"],
            "topic": ["the battery drain"],
        },
        "es": {
            "core": ["La app me vacía la batería: {pct} % en segundo plano.", "Desde que instalé Marcheo el móvil no aguanta el día.", "Mi {device} se calienta por la app.", "La ubicación está siempre activa y gasta batería."],
            "short": ["Gasta mucha batería", "Me deja sin batería", "Consume demasiado"],
            "detail": ["Mi móvil tiene un año.", "Sin la app me dura dos días."],
            "title": ["Batería", "Consumo de batería"],
            "topic": ["el consumo de batería"],
        },
        "de": {
            "core": ["Die App leert meinen Akku: {pct} % im Hintergrund.", "Seit Marcheo hält mein Handy keinen Tag mehr.", "Mein {device} wird heiß, weil die App ständig läuft.", "Die Ortung ist dauernd an und frisst Akku."],
            "short": ["Frisst Akku", "Akku in Stunden leer", "Enormer Akkuverbrauch"],
            "detail": ["Mein Handy ist erst ein Jahr alt.", "Ohne die App hält es zwei Tage."],
            "title": ["Akku", "Akkuverbrauch"],
            "topic": ["den Akkuverbrauch"],
        },
    },
    "app.performance": {
        "fr": {
            "core": [
                "L'appli est devenue très lente, il faut 10 secondes pour afficher mes pas.",
                "Chargement interminable à chaque ouverture.",
                "Tout rame, même le passage d'un onglet à l'autre.",
                "L'écran se fige plusieurs secondes avant de répondre.",
                "Les pubs chargent plus vite que l'appli elle-même.",
                "Sur mon {device}, l'appli met une éternité à démarrer.",
                "La roue de chargement tourne dans le vide avant d'afficher mon solde.",
                "Depuis la dernière version tout est lent et saccadé.",
            ],
            "short": ["Trop lente", "Ça rame énormément", "Chargements interminables", "Appli lente et lourde"],
            "detail": ["Ma connexion internet est bonne.", "Les autres applis fonctionnent normalement.", "J'ai plus de 20 Go libres."],
            "title": ["Appli lente", "Lenteurs", "Ça rame"],
            "topic": ["la lenteur de l'appli"],
        },
        "en": {
            "core": [
                "The app has become really slow, it takes 10 seconds to show my steps.",
                "Endless loading every time I open it.",
                "Everything lags, even switching tabs.",
                "The screen freezes for several seconds before responding.",
                "The ads load faster than the app itself.",
                "On my {device} the app takes forever to start.",
                "The loading wheel spins for ages before showing my balance.",
                "Since the last version everything is slow and jerky.",
            ],
            "short": ["Too slow", "Lags like crazy", "Endless loading", "Slow and heavy app"],
            "detail": ["My internet connection is fine.", "Other apps work normally.", "I have over 20 GB free."],
            "title": ["Slow app", "Lagging", "Very slow"],
            "topic": ["the app being slow"],
        },
        "es": {
            "core": ["La app va muy lenta, tarda 10 segundos en mostrar los pasos.", "Carga eterna cada vez que la abro.", "Todo va a tirones.", "En mi {device} tarda muchísimo en arrancar."],
            "short": ["Muy lenta", "Va a tirones", "Carga eterna"],
            "detail": ["Mi conexión va bien.", "Las demás apps van normal."],
            "title": ["Lenta", "Va lenta"],
            "topic": ["la lentitud de la app"],
        },
        "de": {
            "core": ["Die App ist sehr langsam geworden, 10 Sekunden bis die Schritte erscheinen.", "Endloses Laden bei jedem Start.", "Alles ruckelt, selbst der Tabwechsel.", "Auf meinem {device} dauert der Start ewig."],
            "short": ["Zu langsam", "Ruckelt extrem", "Lädt ewig"],
            "detail": ["Mein Internet ist gut.", "Andere Apps laufen normal."],
            "title": ["Langsam", "Ruckelt"],
            "topic": ["die langsame App"],
        },
    },
    "ads.too_many_ads": {
        "fr": {
            "core": [
                "Il y a une pub toutes les deux minutes, c'est insupportable.",
                "Impossible d'ouvrir l'appli sans me taper une pub de 30 secondes.",
                "Trop de pubs, on passe plus de temps à regarder des vidéos qu'à marcher.",
                "Les pubs plein écran arrivent même quand on ne veut pas de bonus.",
                "Une pub à chaque clic, c'est devenu une appli de pub avec un podomètre.",
                "Les publicités sont de plus en plus longues et on ne peut pas les passer.",
                "Des pubs avec le son à fond au milieu de la nuit quand je vérifie mes pas.",
                "Je veux bien quelques pubs mais là c'est abusé.",
                "Proposez une version sans pub, même payante.",
            ],
            "short": ["Beaucoup trop de pubs", "Pubs insupportables", "Une pub toutes les 2 min", "Trop de publicité 😤", "Pub, pub, pub..."],
            "detail": ["Certaines pubs ne se ferment même pas.", "La croix pour fermer est minuscule.", "C'est la même pub de jeu mobile en boucle."],
            "title": ["Trop de pubs", "Publicités", "Pubs abusives"],
            "topic": ["le nombre de pubs"],
        },
        "en": {
            "core": [
                "There's an ad every two minutes, it's unbearable.",
                "Can't open the app without sitting through a 30-second ad.",
                "Too many ads, you spend more time watching videos than walking.",
                "Full-screen ads pop up even when you don't want a bonus.",
                "An ad on every tap, it's become an ad app with a pedometer.",
                "The ads keep getting longer and you can't skip them.",
                "Ads blasting sound in the middle of the night when I check my steps.",
                "I don't mind a few ads but this is too much.",
                "Offer an ad-free version, even a paid one.",
            ],
            "short": ["Way too many ads", "Ads are unbearable", "An ad every 2 minutes", "Too much advertising 😤", "Ads, ads, ads..."],
            "detail": ["Some ads won't even close.", "The close button is tiny.", "It's the same mobile game ad over and over."],
            "title": ["Too many ads", "Adverts", "Ad overload"],
            "topic": ["the number of ads"],
        },
        "es": {
            "core": ["Hay un anuncio cada dos minutos, insoportable.", "No puedo abrir la app sin tragarme un anuncio de 30 segundos.", "Demasiados anuncios, pasas más tiempo viendo vídeos que caminando.", "Los anuncios son cada vez más largos."],
            "short": ["Demasiados anuncios", "Anuncios insoportables", "Publicidad a todas horas"],
            "detail": ["Algunos anuncios no se cierran.", "Siempre el mismo anuncio."],
            "title": ["Demasiada publicidad", "Anuncios"],
            "topic": ["los anuncios"],
        },
        "de": {
            "core": ["Alle zwei Minuten Werbung, unerträglich.", "Ohne 30-Sekunden-Werbung kann man die App nicht öffnen.", "Zu viel Werbung, man schaut mehr Videos als man läuft.", "Die Werbung wird immer länger und ist nicht überspringbar."],
            "short": ["Viel zu viel Werbung", "Werbung nervt", "Werbung ohne Ende"],
            "detail": ["Manche Werbung lässt sich nicht schließen.", "Immer dieselbe Spielewerbung."],
            "title": ["Zu viel Werbung", "Werbung"],
            "topic": ["die Werbung"],
        },
    },
    "ads.rewarded_ad_failure": {
        "fr": {
            "core": [
                "Je regarde la pub jusqu'au bout pour doubler mes points et je ne reçois rien.",
                "Message « aucune pub disponible » à chaque fois que je veux mon bonus.",
                "La vidéo bonus se coupe à la fin et les points ne sont pas ajoutés.",
                "Le bouton « Regarder une pub » charge indéfiniment.",
                "Après la pub, écran noir et retour à l'accueil sans bonus.",
                "Les pubs récompensées ne fonctionnent plus depuis {few} jours.",
                "Je regarde 5 pubs par jour pour le boost et une sur deux ne compte pas.",
                "La pub se lance mais se bloque à 29 secondes, impossible d'avoir le bonus.",
            ],
            "short": ["Pubs bonus qui ne créditent rien", "« Aucune pub disponible »", "Boost pub ne marche pas", "Regardé la pub, pas de bonus"],
            "detail": ["J'ai une bonne connexion.", "Je n'ai pas de bloqueur de pub.", "Mes amis ont le même problème."],
            "title": ["Pub bonus non créditée", "Pubs récompensées", "Boost qui ne marche pas"],
            "topic": ["les pubs bonus"],
        },
        "en": {
            "core": [
                "I watch the ad to the end to double my points and get nothing.",
                "'No ad available' every time I want my bonus.",
                "The bonus video cuts out at the end and the points aren't added.",
                "The 'Watch an ad' button loads forever.",
                "After the ad, black screen and back to home with no bonus.",
                "Rewarded ads haven't worked for {few} days.",
                "I watch 5 ads a day for the boost and half of them don't count.",
                "The ad starts but freezes at 29 seconds, no way to get the bonus.",
            ],
            "short": ["Bonus ads credit nothing", "'No ad available'", "Ad boost doesn't work", "Watched the ad, no bonus"],
            "detail": ["My connection is good.", "I don't use an ad blocker.", "My friends have the same problem."],
            "title": ["Bonus ad not credited", "Rewarded ads", "Boost not working"],
            "topic": ["the bonus ads"],
        },
        "es": {
            "core": ["Veo el anuncio entero para duplicar puntos y no recibo nada.", "'No hay anuncios disponibles' cada vez que quiero el bonus.", "El vídeo se corta al final y no suma puntos.", "Los anuncios con recompensa no funcionan desde hace {few} días."],
            "short": ["Los anuncios no dan puntos", "'No hay anuncios disponibles'", "El boost no funciona"],
            "detail": ["Tengo buena conexión.", "No uso bloqueador."],
            "title": ["Anuncio sin recompensa", "Boost roto"],
            "topic": ["los anuncios con recompensa"],
        },
        "de": {
            "core": ["Ich schaue die Werbung bis zum Ende, um Punkte zu verdoppeln, und bekomme nichts.", "'Keine Werbung verfügbar', jedes Mal wenn ich den Bonus will.", "Das Bonusvideo bricht am Ende ab, keine Punkte.", "Belohnte Werbung geht seit {few} Tagen nicht."],
            "short": ["Bonuswerbung bringt nichts", "'Keine Werbung verfügbar'", "Boost geht nicht"],
            "detail": ["Meine Verbindung ist gut.", "Kein Werbeblocker."],
            "title": ["Bonus nicht gutgeschrieben", "Boost kaputt"],
            "topic": ["die Bonuswerbung"],
        },
    },
    "support.no_response": {
        "fr": {
            "core": [
                "J'ai écrit au support il y a {days} jours et personne ne m'a répondu.",
                "Je n'ai reçu qu'une réponse automatique, aucun humain ne lit les messages.",
                "Troisième message envoyé au support, toujours aucune réponse.",
                "Le chat d'aide dans l'appli ne répond jamais.",
                "Mon ticket a été fermé sans que personne ne me réponde.",
                "Aucun moyen de joindre quelqu'un : pas de téléphone, pas de réponse par mail.",
                "Le support me renvoie toujours vers la FAQ qui ne répond pas à ma question.",
                "On m'a promis une réponse sous 48 h, ça fait {weeks} semaines.",
            ],
            "short": ["Support inexistant", "Aucune réponse du service client", "Personne ne répond", "SAV aux abonnés absents"],
            "detail": ["J'ai pourtant tout bien expliqué avec des captures.", "Je relance tous les {few} jours.", "C'est la troisième fois que j'écris."],
            "title": ["Aucune réponse", "Relance", "Toujours pas de réponse"],
            "topic": ["l'absence de réponse"],
        },
        "en": {
            "core": [
                "I wrote to support {days} days ago and nobody has replied.",
                "All I got was an automated reply, no human reads the messages.",
                "Third message to support, still no answer.",
                "The in-app help chat never answers.",
                "My ticket was closed without anyone replying.",
                "No way to reach anyone: no phone, no email reply.",
                "Support always sends me to the FAQ, which doesn't answer my question.",
                "I was promised a reply within 48 hours, it's been {weeks} weeks.",
            ],
            "short": ["Support doesn't exist", "No reply from customer service", "Nobody answers", "Customer service is a ghost"],
            "detail": ["I explained everything with screenshots.", "I chase every {few} days.", "This is the third time I've written."],
            "title": ["No reply", "Chasing", "Still no answer"],
            "topic": ["the lack of reply"],
        },
        "es": {
            "core": ["Escribí al soporte hace {days} días y nadie contesta.", "Solo recibí una respuesta automática.", "Tercer mensaje al soporte, sin respuesta.", "Cerraron mi ticket sin contestar."],
            "short": ["Soporte inexistente", "Nadie responde", "Sin respuesta del servicio"],
            "detail": ["Lo expliqué todo con capturas.", "Es la tercera vez que escribo."],
            "title": ["Sin respuesta", "Reclamación"],
            "topic": ["la falta de respuesta"],
        },
        "de": {
            "core": ["Ich habe vor {days} Tagen dem Support geschrieben, keine Antwort.", "Nur eine automatische Antwort, kein Mensch liest das.", "Dritte Nachricht an den Support, immer noch nichts.", "Mein Ticket wurde ohne Antwort geschlossen."],
            "short": ["Support existiert nicht", "Keine Antwort vom Kundenservice", "Niemand antwortet"],
            "detail": ["Alles mit Screenshots erklärt.", "Ich schreibe zum dritten Mal."],
            "title": ["Keine Antwort", "Nachfrage"],
            "topic": ["die fehlende Antwort"],
        },
    },
    "feedback.feature_request": {
        "fr": {
            "core": [
                "Ce serait bien de pouvoir suivre aussi les sorties vélo, pas seulement la marche.",
                "Ajoutez un widget pour voir ses pas sur l'écran d'accueil du téléphone.",
                "J'aimerais pouvoir transférer mes points à un membre de ma famille.",
                "Pourriez-vous ajouter PayPal comme moyen de paiement ?",
                "Une application pour montre connectée serait top.",
                "Ce serait génial d'avoir des badges ou des objectifs mensuels.",
                "Proposez des dons à des associations avec nos points.",
                "J'aimerais un historique exportable de mes pas.",
                "Ajoutez la possibilité de choisir l'heure des rappels.",
                "Ajoutez la natation ou la course, pas que la marche.",
            ],
            "short": ["Ajoutez PayPal svp", "Il manque un widget", "Une idée : compter le vélo", "Vivement les dons aux associations"],
            "detail": ["Sinon l'appli est très bien.", "Je pense que beaucoup d'utilisateurs aimeraient.", "D'autres applis le proposent déjà."],
            "title": ["Suggestion", "Idée d'amélioration", "Demande de fonctionnalité"],
            "topic": ["ma suggestion"],
        },
        "en": {
            "core": [
                "It would be great to track bike rides too, not just walking.",
                "Please add a widget to see your steps on the home screen.",
                "I'd like to be able to transfer points to a family member.",
                "Could you add PayPal as a payout option?",
                "A smartwatch app would be great.",
                "Badges or monthly goals would be brilliant.",
                "Let us donate our points to charities.",
                "I'd like an exportable history of my steps.",
                "Add the option to choose the reminder time.",
                "Add swimming or running, not only walking.",
            ],
            "short": ["Please add PayPal", "Needs a widget", "Idea: count cycling", "Charity donations please"],
            "detail": ["Otherwise the app is great.", "I think lots of users would like it.", "Other apps already do it."],
            "title": ["Suggestion", "Feature idea", "Feature request"],
            "topic": ["my suggestion"],
        },
        "es": {
            "core": ["Estaría bien poder contar también la bici.", "Añadid un widget para ver los pasos en la pantalla de inicio.", "¿Podéis añadir PayPal para cobrar?", "Me gustaría poder donar puntos a ONG."],
            "short": ["Añadid PayPal", "Falta un widget", "Idea: contar la bici"],
            "detail": ["Por lo demás, muy bien.", "Otras apps ya lo tienen."],
            "title": ["Sugerencia", "Idea"],
            "topic": ["mi sugerencia"],
        },
        "de": {
            "core": ["Schön wäre, auch Radfahren zu zählen.", "Bitte ein Widget für die Schritte auf dem Startbildschirm.", "Könnt ihr PayPal als Auszahlung anbieten?", "Ich würde gern Punkte an Vereine spenden."],
            "short": ["Bitte PayPal", "Widget fehlt", "Idee: Radfahren zählen"],
            "detail": ["Sonst ist die App super.", "Andere Apps können das schon."],
            "title": ["Vorschlag", "Idee"],
            "topic": ["meinen Vorschlag"],
        },
    },
    "feedback.praise": {
        "fr": {
            "core": [
                "Super appli, je marche beaucoup plus depuis que je l'utilise.",
                "J'ai déjà reçu {count} virements, tout est arrivé rapidement. Merci !",
                "Très motivante, j'ai perdu 4 kilos en marchant tous les jours.",
                "Appli simple et efficace, les pas sont bien comptés.",
                "J'ai eu ma première carte cadeau {brand}, ça marche vraiment !",
                "Ça me motive à descendre un arrêt de bus plus tôt, top.",
                "Je recommande à tout le monde, c'est sérieux et ça paye.",
                "Meilleure appli de ce type que j'ai testée, interface claire.",
                "Petit plaisir quotidien de voir les points monter.",
                "Utilisatrice depuis 2 ans, jamais eu de souci.",
            ],
            "short": ["Super appli !", "Top 👍", "Je recommande", "Géniale, merci Marcheo", "Parfait, rien à dire", "Appli au top 💪"],
            "detail": ["Les pubs sont supportables.", "Le support m'a toujours répondu vite.", "Mon mari s'y est mis aussi.", "On fait des balades en famille pour gagner des points."],
            "title": ["Génial", "Top", "Je recommande", "Motivant"],
            "topic": ["l'appli"],
        },
        "en": {
            "core": [
                "Great app, I walk so much more since I started using it.",
                "I've already had {count} payouts, all arrived quickly. Thanks!",
                "Really motivating, I've lost 4 kilos walking every day.",
                "Simple and effective app, steps are counted accurately.",
                "Got my first {brand} gift card, it really works!",
                "It makes me get off the bus a stop early, brilliant.",
                "Recommend to everyone, it's legit and it pays.",
                "Best app of its kind I've tried, clean interface.",
                "A little daily pleasure watching the points go up.",
                "Been using it for 2 years, never had a problem.",
            ],
            "short": ["Great app!", "Top 👍", "Highly recommend", "Brilliant, thanks Marcheo", "Perfect, nothing to add", "Love it 💪"],
            "detail": ["The ads are bearable.", "Support always answered quickly.", "My husband has started too.", "We go on family walks to earn points."],
            "title": ["Brilliant", "Great", "Recommend", "Motivating"],
            "topic": ["the app"],
        },
        "es": {
            "core": ["Gran app, camino mucho más desde que la uso.", "Ya he cobrado {count} veces y todo llegó rápido.", "Muy motivadora, he perdido 4 kilos.", "Conseguí mi primera tarjeta {brand}, ¡funciona de verdad!"],
            "short": ["¡Genial!", "Top 👍", "La recomiendo"],
            "detail": ["Los anuncios se soportan.", "El soporte siempre contesta rápido."],
            "title": ["Genial", "Recomendable"],
            "topic": ["la app"],
        },
        "de": {
            "core": ["Tolle App, ich laufe viel mehr, seit ich sie nutze.", "Schon {count} Auszahlungen bekommen, alles kam schnell.", "Sehr motivierend, 4 Kilo abgenommen.", "Meinen ersten {brand}-Gutschein bekommen, es funktioniert wirklich!"],
            "short": ["Super App!", "Top 👍", "Empfehlenswert"],
            "detail": ["Die Werbung ist erträglich.", "Der Support antwortet immer schnell."],
            "title": ["Super", "Empfehlenswert"],
            "topic": ["die App"],
        },
    },
}

# --------------------------------------------------------------------------------------------
# Personal data. All of it is invented; IBANs and card numbers only pass their checksums.
# --------------------------------------------------------------------------------------------

FIRST_NAMES = {
    "fr": ["Marie", "Julien", "Camille", "Nicolas", "Sophie", "Thomas", "Nathalie", "Laurent", "Céline", "Mathieu",
           "Isabelle", "Kevin", "Aurélie", "Stéphane", "Émilie", "Sébastien", "Manon", "Hugo", "Chloé", "Karim",
           "Fatima", "Mehdi", "Inès", "Yannick", "Sandrine", "Grégory"],
    "en": ["Emma", "Oliver", "Charlotte", "James", "Amelia", "Harry", "Jessica", "George", "Daniel", "Chloe", "Liam",
           "Priya", "Mohammed", "Hannah", "Callum"],
    "es": ["Lucía", "Javier", "Carmen", "Alejandro", "María José", "Pablo", "Laura", "Sergio", "Nuria"],
    "de": ["Anna", "Lukas", "Julia", "Maximilian", "Sabine", "Jonas", "Katrin", "Felix", "Jürgen"],
}
LAST_NAMES = {
    "fr": ["Dupont", "Martin", "Bernard", "Lefebvre", "Moreau", "Roux", "Fournier", "Girard", "Lambert", "Bonnet",
           "Mercier", "Faure", "Rousseau", "Blanc", "Guérin", "Chevalier", "Benali", "Nguyen", "Lemoine", "Perrin",
           "Masson", "Dubois", "Vasseur", "Peeters", "Janssens"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Roberts", "Patel", "Walker", "Hughes", "Khan"],
    "es": ["García López", "Martínez", "Fernández Ruiz", "Sánchez", "Romero", "Navarro", "Torres Gil"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner"],
}
EMAIL_DOMAINS = {
    "fr": ["gmail.com", "hotmail.fr", "yahoo.fr", "orange.fr", "free.fr", "outlook.fr", "laposte.net", "icloud.com", "sfr.fr"],
    "en": ["gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "icloud.com", "yahoo.co.uk"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es"],
    "de": ["gmail.com", "gmx.de", "web.de", "t-online.de"],
}
STREETS = {
    "FR": ["{n} rue des Lilas, 69003 Lyon", "{n} avenue Jean Jaurès", "{n} avenue Jean Jaurès, 31000 Toulouse",
           "{n} boulevard Voltaire, 75011 Paris", "{n} allée des Tilleuls, 44300 Nantes", "{n} rue Nationale, 59000 Lille",
           "{n} chemin des Vignes, 13100 Aix-en-Provence", "{n} rue de la République, 33000 Bordeaux",
           "{n} place du Marché, 67000 Strasbourg", "{n} impasse des Acacias, 35000 Rennes"],
    "BE": ["{n} rue Royale, 1000 Bruxelles", "{n} avenue Louise, 1050 Ixelles", "{n} rue Saint-Gilles, 4000 Liège"],
    "GB": ["{n} Church Road, Manchester M20 2GH", "{n} Victoria Road, Leeds LS6 1AB", "Flat 3, {n} Station Road, Bristol BS1 4DJ"],
    "ES": ["Calle Mayor {n}, 28013 Madrid", "Avenida Diagonal {n}, 08019 Barcelona", "Calle Colón {n}, 46004 Valencia"],
    "DE": ["Hauptstraße {n}, 10115 Berlin", "Goethestraße {n}, 80336 München", "Bahnhofstraße {n}, 50667 Köln"],
}

# PII kinds and how likely each is, by family of theme (a bank detail belongs to a cash-out ticket).
PII_KIND_WEIGHTS = {
    "cashout_bank": {"iban": 0.6, "email": 0.15, "phone": 0.12, "user_id": 0.18, "address": 0.05, "card": 0.05},
    "gift": {"address": 0.3, "email": 0.3, "user_id": 0.22, "phone": 0.12, "card": 0.06},
    "cashback": {"card": 0.5, "email": 0.2, "user_id": 0.2, "address": 0.1},
    "account": {"email": 0.45, "user_id": 0.3, "phone": 0.2, "address": 0.05},
    "other": {"email": 0.35, "user_id": 0.32, "phone": 0.25, "address": 0.08},
}
REVIEW_PII_KINDS = ("email", "user_id", "phone")
# fmt: on


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


def _iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_iban(rng: random.Random, country: str) -> str:
    """A fake IBAN whose mod-97 check digits are valid (French ones also carry a valid RIB key)."""
    if country == "FR":
        bank, branch, account = (
            rng.randint(10000, 99999),
            rng.randint(10000, 99999),
            int(_digits(rng, 11)),
        )
        rib_key = 97 - (89 * bank + 15 * branch + 3 * account) % 97
        bban = f"{bank:05d}{branch:05d}{account:011d}{rib_key:02d}"
    elif country == "BE":
        first = int(_digits(rng, 10))
        bban = f"{first:010d}{first % 97 or 97:02d}"
    elif country == "DE":
        bban = _digits(rng, 18)
    else:  # ES
        bban = _digits(rng, 20)
    iban = f"{country}{_iban_check_digits(country, bban)}{bban}"
    if rng.random() < 0.7:
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def make_card(rng: random.Random) -> str:
    """A fake 16-digit Visa or Mastercard number with a valid Luhn check digit."""
    payload = (
        "4" + _digits(rng, 14)
        if rng.random() < 0.6
        else "5" + rng.choice("12345") + _digits(rng, 13)
    )
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    number = payload + str((10 - total % 10) % 10)
    if rng.random() < 0.7:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def make_french_phone(rng: random.Random) -> str:
    mobile = rng.choice("67") + _digits(rng, 8)
    pairs = [mobile[i : i + 2] for i in range(1, 9, 2)]
    style = rng.choices(
        ["spaced", "compact", "plus_spaced", "dotted", "plus_compact"], [0.45, 0.15, 0.2, 0.1, 0.1]
    )[0]
    if style == "spaced":
        return "0" + mobile[0] + " " + " ".join(pairs)
    if style == "compact":
        return "0" + mobile
    if style == "plus_spaced":
        return "+33 " + mobile[0] + " " + " ".join(pairs)
    if style == "dotted":
        return "0" + mobile[0] + "." + ".".join(pairs)
    return "+33" + mobile


def make_international_phone(rng: random.Random, country: str) -> str:
    if country == "GB":
        return f"+44 7{_digits(rng, 3)} {_digits(rng, 6)}"
    if country == "DE":
        return f"+49 15{rng.choice('129')} {_digits(rng, 8)}"
    if country == "ES":
        return f"+34 6{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}"
    return f"+32 47{_digits(rng, 1)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}"


def _ascii_slug(text: str) -> str:
    return "".join(c for c in _strip_accents(text).lower() if c.isalnum())


class PiiFactory:
    """Makes fake personal data, never the same string twice, and remembers all of it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._seen: set[str] = set()  # membership only; never iterated
        self.planted: list[str] = []
        self.kinds: Counter[str] = Counter()
        self.international_phones = 0

    def _keep(self, kind: str, value: str) -> str | None:
        if value in self._seen:
            return None
        self._seen.add(value)
        self.planted.append(value)
        self.kinds[kind] += 1
        return value

    def _fresh(self, kind: str, make: Any) -> str:
        while True:
            value = self._keep(kind, make())
            if value is not None:
                return value

    def name(self, lang: str) -> str:
        rng = self.rng
        # The same person may sign twice: a name is recorded once but may be reused.
        value = f"{rng.choice(FIRST_NAMES[lang])} {rng.choice(LAST_NAMES[lang])}"
        if value not in self._seen:
            self._keep("name", value)
        else:
            self.kinds["name"] += 1
        return value

    def email(self, lang: str) -> str:
        rng = self.rng

        def make() -> str:
            first = _ascii_slug(rng.choice(FIRST_NAMES[lang]))
            last = _ascii_slug(rng.choice(LAST_NAMES[lang]))
            local = rng.choice(
                [
                    f"{first}.{last}",
                    f"{first}.{last}{rng.randint(10, 99)}",
                    f"{first[0]}.{last}",
                    f"{first}{last}{rng.randint(1, 99)}",
                    f"{first}_{last}",
                ]
            )
            return f"{local}@{rng.choice(EMAIL_DOMAINS[lang])}"

        return self._fresh("email", make)

    def phone(self, country: str) -> str:
        if (
            country != "FR"
            and self.international_phones < MAX_INTERNATIONAL_PHONES
            and self.rng.random() < 0.5
        ):
            self.international_phones += 1
            return self._fresh("phone", lambda: make_international_phone(self.rng, country))
        return self._fresh("phone", lambda: make_french_phone(self.rng))

    def iban(self, country: str) -> str:
        code = country if country in ("FR", "BE", "DE", "ES") else "FR"
        return self._fresh("iban", lambda: make_iban(self.rng, code))

    def card(self) -> str:
        return self._fresh("card", lambda: make_card(self.rng))

    def address(self, country: str) -> str:
        return self._fresh(
            "address", lambda: self.rng.choice(STREETS[country]).format(n=self.rng.randint(1, 148))
        )

    def user_id(self, value: str | None = None) -> str:
        if value is not None and value not in self._seen:
            return self._keep("user_id", value) or value
        return self._fresh("user_id", lambda: str(self.rng.randint(7_000_000, 8_999_999)))

    def make(self, kind: str, *, lang: str, country: str, user_id: str | None = None) -> str:
        if kind == "email":
            return self.email(lang)
        if kind == "phone":
            return self.phone(country)
        if kind == "iban":
            return self.iban(country)
        if kind == "card":
            return self.card()
        if kind == "address":
            return self.address(country)
        return self.user_id(user_id)


# --------------------------------------------------------------------------------------------
# The plan: how many items per theme and month (a separate random stream, so that editing a
# template never changes the planted counts)
# --------------------------------------------------------------------------------------------

CRASH_4_12 = "app.crash@4.12.0"  # internal key of the October regression; its theme is app.crash


@dataclass(frozen=True)
class Plan:
    counts: dict[str, tuple[int, ...]]  # theme key (incl. CRASH_4_12) -> count per month
    october_extra_reviews: dict[str, int]  # theme -> October items added as reviews (F5)


def theme_of(key: str) -> str:
    return "app.crash" if key == CRASH_4_12 else key


def make_plan() -> Plan:
    rng = random.Random(f"{SEED}/plan")
    counts: dict[str, list[int]] = {key: [0] * 6 for key in (*ALL_THEMES, CRASH_4_12)}
    extra: dict[str, int] = {}
    for m in range(6):
        october = MONTHS[m] == REPORT_MONTH
        factor = OCTOBER_VOLUME_FACTOR if october else 1.0
        for theme, base in STABLE_BASE.items():
            spread = (0.45 if theme == "account.login" else 0.6) * math.sqrt(base)
            counts[theme][m] = max(1, round(base * factor + rng.gauss(0, spread)))
        counts["cashout.bank_transfer_delay"][m] = BANK_TRANSFER[m] + rng.randint(-3, 3)
        counts["cashout.gift_card_issue"][m] = GIFT_CARD[m] + rng.randint(-1, 1)
        counts[EMERGING][m] = TEAM_CHALLENGES[m] + (rng.randint(-1, 1) if TEAM_CHALLENGES[m] else 0)
        if october:
            counts["app.crash"][m] = CRASH_BASELINE - 4 + rng.randint(-2, 2)
            counts[CRASH_4_12][m] = (
                CRASH_OCTOBER_TOTAL - counts["app.crash"][m] + rng.randint(-2, 2)
            )
        else:
            counts["app.crash"][m] = CRASH_BASELINE + rng.randint(-3, 3)
        on_topic = sum(counts[key][m] for key in counts if key != OFF_TOPIC)
        counts[OFF_TOPIC][m] = round(
            on_topic * OFF_TOPIC_SHARE / (1 - OFF_TOPIC_SHARE)
        ) + rng.randint(-2, 2)
        if october:
            for theme in (*STABLE_BASE, OFF_TOPIC):
                n = counts[theme][m]
                extra[theme] = n - round(n / OCTOBER_VOLUME_FACTOR)
    return Plan({key: tuple(v) for key, v in counts.items()}, extra)


# --------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One planted piece of feedback, before it is written in its channel's format."""

    seq: int
    key: str  # theme key: a taxonomy id, EMERGING, OFF_TOPIC or CRASH_4_12
    channel: str
    created: datetime
    country: str
    lang: str
    platform: str
    version: str
    user_id: str
    text: str = ""
    title: str = ""
    rating: int | None = None
    html_body: str | None = None
    pii: list[str] = field(default_factory=list)
    typo: bool = False
    quoted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def theme(self) -> str:
        return theme_of(self.key)

    @property
    def month(self) -> str:
        return self.created.strftime("%Y-%m")


def _weighted(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _days_in_month(month: str) -> int:
    year, mon = int(month[:4]), int(month[5:])
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return (nxt - date(year, mon, 1)).days


HOUR_WEIGHTS = {
    7: 1,
    8: 2,
    9: 3,
    10: 3,
    11: 3,
    12: 4,
    13: 3,
    14: 3,
    15: 3,
    16: 3,
    17: 4,
    18: 4,
    19: 4,
    20: 3,
    21: 2,
}


def sample_datetime(rng: random.Random, month: str, key: str) -> datetime:
    """A UTC timestamp between 07:00 and 21:59, so the local date is the same in Paris and Pacific time."""
    year, mon = int(month[:4]), int(month[5:])
    days = list(range(1, _days_in_month(month) + 1))
    if key == CRASH_4_12:
        days = [d for d in days if d >= 8]
        weights = [
            {8: 1.2, 9: 2.6, 10: 2.4, 11: 2.0, 12: 1.5}.get(d, 0.15 + math.exp(-(d - 12) / 3))
            for d in days
        ]
    elif key == EMERGING and month == "2026-09":
        days = [d for d in days if d > TEAM_LAUNCH.day]
        weights = [float(d - TEAM_LAUNCH.day) for d in days]
    else:
        weights = [0.8 if date(year, mon, d).weekday() >= 5 else 1.0 for d in days]
    day = rng.choices(days, weights)[0]
    hour = _weighted(rng, HOUR_WEIGHTS)
    if key == CRASH_4_12 and day == 8:
        hour = max(hour, 10)
    return datetime(year, mon, day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)


def version_at(rng: random.Random, when: datetime) -> str:
    """The app version a user has at a given time: most update within days, some lag behind."""
    idx = max(i for i, (released, _) in enumerate(RELEASES) if released <= when)
    age_hours = (when - RELEASES[idx][0]).total_seconds() / 3600
    p_latest = min(0.8, 0.3 + 0.5 * age_hours / 72)
    r = rng.random()
    if r < p_latest:
        return RELEASES[idx][1]
    if r < p_latest + (1 - p_latest) * 0.75:
        return RELEASES[idx - 1][1]
    return RELEASES[max(0, idx - rng.randint(2, 4))][1]


def sample_locale(rng: random.Random) -> tuple[str, str]:
    country = _weighted(rng, dict(COUNTRIES))
    lang = "en" if country == "GB" or rng.random() < ENGLISH_ELSEWHERE else NATIVE_LANGUAGE[country]
    return country, lang


def plan_items(plan: Plan, rng: random.Random) -> list[Item]:
    """Turn the counts into dated, located items with a channel, in a fixed order."""
    items: list[Item] = []
    for m, month in enumerate(MONTHS):
        for key in (*ALL_THEMES, CRASH_4_12):
            n = plan.counts[key][m]
            extra = plan.october_extra_reviews.get(key, 0) if month == REPORT_MONTH else 0
            n_reviews_4_12 = round(n * NEW_CRASH_REVIEW_SHARE) if key == CRASH_4_12 else 0
            for i in range(n):
                if key == CRASH_4_12:
                    weights = REVIEW_WEIGHTS if i < n_reviews_4_12 else (0.8, 0.2, 0.0, 0.0)
                elif i >= n - extra:
                    weights = REVIEW_WEIGHTS
                else:
                    weights = CHANNEL_WEIGHTS[key]
                channel = rng.choices(CHANNELS, weights)[0]
                created = sample_datetime(rng, month, key)
                country, lang = sample_locale(rng)
                if channel == "play":
                    platform = "android"
                elif channel == "appstore":
                    platform = "ios"
                else:
                    platform = "android" if rng.random() < 0.6 else "ios"
                version = "4.12.0" if key == CRASH_4_12 else version_at(rng, created)
                user_id = str(rng.randint(7_000_000, 8_999_999))
                items.append(
                    Item(
                        len(items), key, channel, created, country, lang, platform, version, user_id
                    )
                )
    return items


# --------------------------------------------------------------------------------------------
# Text composition
# --------------------------------------------------------------------------------------------


def fmt_int(n: int, lang: str) -> str:
    sep = {"fr": " ", "en": ",", "es": ".", "de": "."}[lang]
    return f"{n:,}".replace(",", sep)


def fmt_money(
    rng: random.Random, value: int, lang: str, country: str, *, cents: bool = True
) -> str:
    decimal = cents and rng.random() < 0.12
    if lang == "en":
        symbol = "£" if country == "GB" else "€"
        return f"{symbol}{value}.50" if decimal else f"{symbol}{value}"
    return f"{value},50 €" if decimal else f"{value} €"


def make_slots(rng: random.Random, it: Item) -> dict[str, str]:
    lang, platform = it.lang, it.platform
    g = GENERIC[lang]
    days = rng.randint(4, 35)
    since = it.created - timedelta(days=days)
    amount = rng.choice([5, 10, 10, 15, 20, 20, 25, 30, 50])
    steps = rng.randint(40, 250) * 100 if rng.random() < 0.7 else rng.randint(4000, 25000)
    unit = {"fr": "points", "en": "points", "es": "puntos", "de": "Punkte"}[lang]
    return {
        "days": str(days),
        "weeks": str(rng.randint(2, 6)),
        "few": str(rng.randint(2, 6)),
        "steps": fmt_int(steps, lang),
        "km": str(rng.randint(3, 18)),
        "amount": fmt_money(rng, amount, lang, it.country),
        "points": f"{fmt_int(amount * 1000, lang)} {unit}",
        "threshold": fmt_money(rng, rng.choice([25, 30, 50]), lang, it.country, cents=False),
        "amount2": fmt_money(rng, rng.randint(25, 250), lang, it.country, cents=False),
        "brand": rng.choice(GIFT_BRANDS[lang]),
        "brand2": rng.choice(CASHBACK_BRANDS[lang]),
        "device": rng.choice(DEVICES[platform]),
        "os": rng.choice(OS_VERSIONS[platform]),
        "health": rng.choice(HEALTH_APPS[(lang, platform)]),
        "watch": rng.choice(WATCHES[platform]),
        "version": it.version,
        "since_date": g["since_date"].format(d=since.day, month=g["months_full"][since.month - 1]),
        "months": str(rng.randint(2, 30)),
        "pct": str(rng.randint(18, 45)),
        "count": str(rng.randint(2, 9)),
    }


# The support quotes the user's topic back in its own voice: "mon virement" -> "votre virement".
SUPPORT_POSSESSIVES = {
    "fr": {"mon": "votre", "ma": "votre", "mes": "vos"},
    "en": {"my": "your"},
    "es": {"mi": "tu", "mis": "tus"},
    "de": {"meine": "Ihre", "meinen": "Ihren", "mein": "Ihr", "meines": "Ihres", "meinem": "Ihrem"},
}


def support_voice(topic: str, lang: str) -> str:
    swap = SUPPORT_POSSESSIVES[lang]
    return " ".join(swap.get(word, word) for word in topic.split(" "))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


class Composer:
    """Writes the text of each item in its channel's voice."""

    def __init__(self, rng: random.Random, pii: PiiFactory) -> None:
        self.rng = rng
        self.pii = pii

    # -- shared pieces ------------------------------------------------------------------------

    def pick(self, options: list[str], slots: dict[str, str]) -> str:
        return self.rng.choice(options).format_map(slots)

    def typo_ops(self, channel: str) -> list[str]:
        if self.rng.random() >= TYPO_RATE[channel]:
            return []
        return self.rng.sample(
            ["swap", "drop", "accents", "lower", "sms"], k=self.rng.randint(1, 3)
        )

    def apply_typos(self, text: str, ops: list[str], lang: str) -> str:
        rng = self.rng
        for op in ops:
            words = text.split(" ")
            candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 5]
            if op in ("swap", "drop") and candidates:
                i = rng.choice(candidates)
                w = words[i]
                j = rng.randint(1, len(w) - 3)
                words[i] = (
                    w[:j] + w[j + 1] + w[j] + w[j + 2 :] if op == "swap" else w[:j] + w[j + 1 :]
                )
                text = " ".join(words)
            elif op == "accents":
                text = _strip_accents(text)
            elif op == "lower":
                text = text.lower().rstrip(".")
            elif op == "sms":
                for phrase, short in GENERIC[lang]["sms"].items():
                    text = re.sub(rf"\b{re.escape(phrase)}\b", short, text)
        return text

    def pii_kind(self, it: Item, allowed: tuple[str, ...] | None = None) -> str:
        family = (
            "cashout_bank"
            if it.theme in ("cashout.bank_transfer_delay", "cashout.minimum_threshold")
            else "gift"
            if it.theme == "cashout.gift_card_issue"
            else "cashback"
            if it.theme == "rewards.cashback_offer"
            else "account"
            if it.theme.startswith("account.")
            else "other"
        )
        weights = dict(PII_KIND_WEIGHTS[family])
        if it.country == "GB":
            weights.pop("iban", None)
        if allowed is not None:
            weights = {k: v for k, v in weights.items() if k in allowed}
        return str(_weighted(self.rng, weights))

    def pii_sentence(self, it: Item, kind: str) -> str:
        value = self.pii.make(
            kind,
            lang=it.lang,
            country=it.country,
            user_id=it.user_id if it.channel == "csat" else None,
        )
        it.pii.append(value)
        return self.rng.choice(GENERIC[it.lang]["pii"][kind]).format(pii=value)

    def insert(self, parts: list[str], sentence: str) -> list[str]:
        pos = self.rng.randint(1, len(parts)) if parts else 0
        return [*parts[:pos], sentence, *parts[pos:]]

    def closer(self, rating: int, sentiment: str, g: dict[str, Any]) -> str:
        star_specific = self.rng.random() < 0.25
        if sentiment in ("pos", "request") and rating >= 4:
            return str(
                self.rng.choice(
                    g["close_five"] if rating == 5 and star_specific else g["close_happy"]
                )
            )
        if rating >= 3:
            return str(
                self.rng.choice(
                    g["close_three"] if rating == 3 and star_specific else g["close_mixed"]
                )
            )
        return str(self.rng.choice(g["close_angry"] if rating == 1 else g["close_sad"]))

    # -- reviews ------------------------------------------------------------------------------

    def review(self, it: Item) -> None:
        rng, g = self.rng, GENERIC[it.lang]
        sentiment = "crash_4_12" if it.key == CRASH_4_12 else SENTIMENT[it.key]
        rating = int(_weighted(rng, REVIEW_STARS[sentiment]))
        it.rating = rating
        if it.key == OFF_TOPIC:
            it.text = rng.choice(g["noise"])
            it.title = (
                rng.choice(g["noise"])
                if rng.random() < 0.5
                else rng.choice(g["generic_title"][rating])
            )
            return
        t = THEMES[it.key][it.lang]
        slots = make_slots(rng, it)
        mode = _weighted(rng, {"short": 0.35, "medium": 0.45, "long": 0.2})
        parts: list[str] = []
        sentiment_family = "neg" if sentiment == "crash_4_12" else sentiment
        if mode == "short":
            parts.append(self.pick(t["short"], slots))
            if rng.random() < 0.3 or (rating >= 3 and sentiment_family in ("neg", "mild")):
                parts.append(self.closer(rating, sentiment_family, g))
        else:
            if rng.random() < (0.3 if mode == "medium" else 0.7):
                parts.append(self.pick(g["opener"], slots))
            parts.append(self.pick(t["core"], slots))
            n_details = (1 if rng.random() < 0.5 else 0) if mode == "medium" else 2
            parts += [
                d.format_map(slots)
                for d in rng.sample(t["detail"], min(n_details, len(t["detail"])))
            ]
            if (
                mode == "long"
                or rng.random() < 0.6
                or (rating >= 3 and sentiment_family in ("neg", "mild"))
            ):
                parts.append(self.closer(rating, sentiment_family, g))
        # A short phrase followed by a closer still needs its full stop.
        parts = [
            p + "." if i < len(parts) - 1 and p[-1:].isalnum() else p for i, p in enumerate(parts)
        ]
        ops = self.typo_ops(it.channel)
        it.typo = bool(ops)
        parts = [self.apply_typos(p, ops, it.lang) for p in parts]
        if rng.random() < 0.15:
            parts[-1] += " " + rng.choice(g["emoji_pos"] if rating >= 4 else g["emoji_neg"])
        if rng.random() < PII_RATE[it.channel]:
            parts = self.insert(parts, self.pii_sentence(it, self.pii_kind(it, REVIEW_PII_KINDS)))
        it.text = " ".join(parts)
        if rng.random() < 0.6:
            it.title = self.pick(t["title"], slots)
        else:
            it.title = rng.choice(g["generic_title"][rating])

    # -- CSAT ---------------------------------------------------------------------------------

    def csat(self, it: Item) -> None:
        rng, g = self.rng, GENERIC[it.lang]
        sentiment = "neg" if it.key == CRASH_4_12 else SENTIMENT[it.key]
        p_negative = CSAT_NEGATIVE.get(it.key, {"neg": 0.55, "mild": 0.45}.get(sentiment, 0.5))
        r = rng.random()
        neutral_share = 0.0 if it.key == "feedback.praise" else 0.25
        if r < p_negative:
            note = rng.choice([1, 1, 2])
        elif r < p_negative + (1 - p_negative) * neutral_share:
            note = 3
        else:
            note = rng.choice([4, 5, 5])
        it.rating = note
        if it.key == OFF_TOPIC:
            it.text = rng.choice(g["noise"])
            return
        t = THEMES[it.key][it.lang]
        slots = make_slots(rng, it)
        if note >= 4 and sentiment in ("neg", "mild"):
            topic = self.pick(t["topic"], slots)
            issue = rng.choice(g["resolved"]).format(topic=topic)
        else:
            issue = self.pick(t["core"] if rng.random() < 0.6 else t["short"], slots)
            if issue[-1:].isalnum():
                issue += "."
        remark_pool = (
            "support_neg" if note <= 2 else "support_neutral" if note == 3 else "support_pos"
        )
        remark = self.pick(g[remark_pool], slots)
        parts = [issue]
        if rng.random() < 0.25:
            parts.append(self.pick(t["detail"], slots))
        ops = self.typo_ops(it.channel)
        it.typo = bool(ops)
        if rng.random() < 0.3 and len(parts) == 1:
            text = issue.rstrip(".!") + ", " + _lower_first(remark)
            parts = [self.apply_typos(text, ops, it.lang)]
        elif rng.random() < 0.25:
            parts = [self.apply_typos(p, ops, it.lang) for p in [remark, *parts]]
        else:
            parts = [self.apply_typos(p, ops, it.lang) for p in [*parts, remark]]
        if rng.random() < PII_RATE[it.channel]:
            allowed = ("email", "user_id", "phone", "iban", "card")
            parts = self.insert(parts, self.pii_sentence(it, self.pii_kind(it, allowed)))
        it.text = " ".join(parts)

    # -- tickets ------------------------------------------------------------------------------

    def ticket(self, it: Item) -> None:
        rng, g = self.rng, GENERIC[it.lang]
        it.extra["via"] = _weighted(rng, {"email": 0.5, "web": 0.3, "mobile_sdk": 0.2})
        via = it.extra["via"]
        if it.key == OFF_TOPIC:
            it.text = rng.choice(g["noise"])
            it.title = rng.choice([*g["subject_generic"], it.text])
            return
        t = THEMES[it.key][it.lang]
        slots = make_slots(rng, it)
        ops = self.typo_ops(it.channel)
        it.typo = bool(ops)
        body = [self.pick(t["core"], slots)]
        n_details = _weighted(rng, {0: 0.2, 1: 0.4, 2: 0.3, 3: 0.1})
        body += [
            d.format_map(slots) for d in rng.sample(t["detail"], min(n_details, len(t["detail"])))
        ]
        body = [self.apply_typos(s, ops, it.lang) for s in body]
        signature_name = False
        # People chasing a bank transfer often paste their bank details: more PII there.
        bank = it.theme == "cashout.bank_transfer_delay"
        if rng.random() < PII_RATE[it.channel] * (2.5 if bank else 1.0):
            if via == "email" and rng.random() < (0.3 if bank else 0.6):
                signature_name = True
            else:
                body = self.insert(body, self.pii_sentence(it, self.pii_kind(it)))
        paragraphs: list[list[str]] = []
        if rng.random() < (0.5 if via == "mobile_sdk" else 0.88):
            paragraphs.append([rng.choice(g["greeting"])])
        if len(body) >= 3 and rng.random() < 0.5:
            cut = rng.randint(1, len(body) - 1)
            paragraphs += [[" ".join(body[:cut])], [" ".join(body[cut:])]]
        else:
            paragraphs.append([" ".join(body)])
        if rng.random() < 0.75:
            paragraphs.append([self.apply_typos(rng.choice(g["request"]), ops, it.lang)])
        if signature_name:
            name = self.pii.name(it.lang)
            it.pii.append(name)
            block = [rng.choice(g["signoff"]), name]
            if rng.random() < 0.4:
                phone = self.pii.phone(it.country)
                it.pii.append(phone)
                block.append(phone)
            paragraphs.append(block)
        elif via != "mobile_sdk" and rng.random() < 0.6:
            paragraphs.append([rng.choice(g["signoff_alone"])])
        if via == "email" and rng.random() < 0.35:
            apple = it.platform == "ios"
            paragraphs.append([rng.choice([s for s in g["sent_from"] if ("iP" in s) == apple])])
        if via == "mobile_sdk" and rng.random() < 0.7:
            paragraphs.append(["--", f"Marcheo {it.version} · {slots['os']} · {slots['device']}"])
        quote = self.quote(it, slots) if via == "email" and rng.random() < 0.3 else None
        it.quoted = quote is not None
        it.text = "\n\n".join("\n".join(p) for p in paragraphs)
        if quote is not None:
            header, lines = quote
            it.text += (
                "\n\n" + header + "\n" + "\n".join(f"> {line}" if line else ">" for line in lines)
            )
        if via == "email" and rng.random() < 0.2:
            it.html_body = self.to_html(paragraphs, quote)
        if via == "mobile_sdk" and rng.random() < 0.7:
            it.title = g["sdk_subject"]
        elif rng.random() < 0.75:
            it.title = self.pick(t["title"], slots)
        else:
            it.title = rng.choice(g["subject_generic"])

    def quote(self, it: Item, slots: dict[str, str]) -> tuple[str, list[str]]:
        rng, g = self.rng, GENERIC[it.lang]
        when = paris_time(it.created - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5)))
        header = g["quote_header"].format(
            wd=g["weekdays"][when.weekday()],
            d=when.day,
            mon=g["months_abbr"][when.month - 1],
            y=when.year,
            hh=f"{when.hour:02d}",
            mm=f"{when.minute:02d}",
        )
        topic = support_voice(self.pick(THEMES[it.key][it.lang]["topic"], slots), it.lang)
        lines = [g["quote_greeting"], "", g["quote_intro"].format(topic=topic)]
        lines += rng.sample(g["quote_lines"], rng.randint(1, 2))
        lines += ["", g["quote_signoff"]]
        return header, lines

    def to_html(self, paragraphs: list[list[str]], quote: tuple[str, list[str]] | None) -> str:
        escape_quotes = self.rng.random() < 0.5  # some mail clients write &#x27; for apostrophes

        def esc(text: str) -> str:
            return html.escape(text, quote=escape_quotes)

        out = "".join("<p>" + "<br>".join(esc(line) for line in p) + "</p>" for p in paragraphs)
        if quote is not None:
            header, lines = quote
            inner = "<br>".join(esc(line) for line in lines)
            out += f'<div class="gmail_quote"><div dir="ltr">{esc(header)}</div><blockquote>{inner}</blockquote></div>'
        return out


# --------------------------------------------------------------------------------------------
# Time zones (fixed rules, so the output does not depend on the machine's tz database)
# --------------------------------------------------------------------------------------------

PARIS_DST_END = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # last Sunday of October, 01:00 UTC


def paris_time(when: datetime) -> datetime:
    """Europe/Paris wall-clock time: UTC+2 (CEST) until 2026-10-25 01:00 UTC, then UTC+1."""
    offset = 2 if when < PARIS_DST_END else 1
    return (when + timedelta(hours=offset)).replace(tzinfo=None)


def pacific_iso(when: datetime) -> str:
    """App Store timestamps are Pacific time; every date here falls in PDT (UTC-7)."""
    return (when - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S") + "-07:00"


def utc_iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------------
# Writing each channel in its source's format
# --------------------------------------------------------------------------------------------

PLAY_COLUMNS = [
    "reviewId",
    "userName",
    "content",
    "score",
    "thumbsUpCount",
    "reviewCreatedVersion",
    "at",
    "replyContent",
    "repliedAt",
    "appVersion",
    "country",
]
CSAT_COLUMNS = [
    "id_reponse",
    "date_reponse",
    "note",
    "commentaire",
    "langue",
    "pays",
    "id_utilisateur",
    "canal",
]
BASE64ISH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
GOOGLE_USER = {
    "fr": "Un utilisateur de Google",
    "en": "A Google user",
    "es": "Un usuario de Google",
    "de": "Ein Google-Nutzer",
}
NICKNAMES = [
    "marcheuse_du_92",
    "Jojo75",
    "Runner_K",
    "Bibi",
    "lulu.b",
    "Pseudo indisponible",
    "TomTom",
    "Mamie Rando",
    "walker_uk",
    "sunnyday",
    "paseante",
    "WanderFan",
    "Kiki59",
    "hikerboy",
    "la_flaneuse",
    "Nono",
    "Fredo13",
]
# The malformed rows (F10), in the order they are planted.
PLAY_EMPTY_CONTENT = 6
PLAY_BAD_DATES = ("hier", "31/02/2026", "N/A")
CSAT_EMPTY_COMMENTS = 5
APPSTORE_BROKEN_LINES = 2
PLAY_DUPLICATES = 4


def _csv_bytes(header: list[str], rows: list[list[str]], *, delimiter: str, bom: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _display_name(rng: random.Random, lang: str) -> str:
    first = rng.choice(FIRST_NAMES[lang])
    style = rng.random()
    if style < 0.25:
        return GOOGLE_USER[lang]
    if style < 0.6:
        return f"{first} {rng.choice(LAST_NAMES[lang])[0]}."
    if style < 0.85:
        return f"{_ascii_slug(first)}{rng.randint(10, 99)}"
    return rng.choice(NICKNAMES)


def _review_id(rng: random.Random) -> str:
    return "gp:AOqpTO" + "".join(rng.choice(BASE64ISH) for _ in range(34))


def write_tickets(items: list[Item], rng: random.Random) -> bytes:
    tickets = []
    next_id = 481_207
    for it in sorted(items, key=lambda i: (i.created, i.seq)):
        it.extra["id"] = next_id
        next_id += rng.randint(1, 6)
        age_days = (END - it.created).total_seconds() / 86400
        if age_days < 3:
            status = _weighted(rng, {"open": 0.6, "pending": 0.3, "solved": 0.1})
        elif age_days < 10:
            status = _weighted(rng, {"open": 0.2, "pending": 0.3, "solved": 0.5})
        else:
            status = _weighted(rng, {"solved": 0.92, "pending": 0.05, "open": 0.03})
        updated = min(END, it.created + timedelta(minutes=rng.randint(45, 60 * 24 * 6)))
        if status == "solved" and rng.random() < 0.47:
            p_bad = (
                0.65
                if it.theme in BAD_RATING_THEMES
                else 0.05
                if it.theme == "feedback.praise"
                else 0.28
            )
            score = "bad" if rng.random() < p_bad else "good"
            comment = rng.choice(GENERIC[it.lang]["sat_" + score]) if rng.random() < 0.4 else None
        else:
            score = "offered" if status == "solved" and rng.random() < 0.6 else "unoffered"
            comment = None
        it.extra["satisfaction"] = score
        via = it.extra["via"]
        tags = [
            {"email": "email", "web": "web_widget", "mobile_sdk": "mobile_sdk"}[via],
            it.platform,
        ]
        if status == "solved" and rng.random() < 0.7:
            tags.append(TICKET_CATEGORY.get(it.theme.split(".")[0], "autre"))
        ticket: dict[str, Any] = {
            "url": f"https://marcheo.zendesk.com/api/v2/tickets/{it.extra['id']}.json",
            "id": it.extra["id"],
            "created_at": utc_iso(it.created),
            "updated_at": utc_iso(updated),
            "subject": it.title,
            "description": "" if it.html_body is not None else it.text,
        }
        if it.html_body is not None:
            ticket["comments"] = [{"public": True, "body": "", "html_body": it.html_body}]
        ticket.update(
            {
                "via": {"channel": via},
                "tags": tags,
                "status": status,
                "priority": rng.choice([None, None, "normal", "low", "high"]),
                "requester_id": rng.randint(360_000_000_000, 399_999_999_999),
                "satisfaction_rating": {"score": score, "comment": comment},
            }
        )
        tickets.append(ticket)
    page = {"tickets": tickets, "after_cursor": None, "end_of_stream": True}
    return (json.dumps(page, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_csat(items: list[Item], rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    """CSAT rows, plus CSAT_EMPTY_COMMENTS rows whose comment is empty (note only)."""
    rows: list[tuple[datetime, int, list[str], bool, Item | None]] = []
    for it in items:
        canal = "chat" if rng.random() < 0.45 else "email"
        rows.append(
            (
                it.created,
                it.seq,
                [str(it.rating), it.text, it.lang, it.country, it.user_id, canal],
                False,
                it,
            )
        )
    for k in range(CSAT_EMPTY_COMMENTS):
        month = MONTHS[rng.randrange(len(MONTHS))]
        country, lang = sample_locale(rng)
        row = [
            str(rng.choice([1, 2, 4, 5])),
            "",
            lang,
            country,
            str(rng.randint(7_000_000, 8_999_999)),
            "email",
        ]
        rows.append(
            (
                sample_datetime(rng, month, "cashout.bank_transfer_delay"),
                10_000_000 + k,
                row,
                True,
                None,
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    out: list[list[str]] = []
    malformed: list[dict[str, Any]] = []
    next_id = 240_118
    for created, _, row, bad, item in rows:
        line = [str(next_id), paris_time(created).strftime("%d/%m/%Y %H:%M"), *row]
        if item is not None:
            item.extra["id"] = str(next_id)
        if bad:
            malformed.append(
                {"line": len(out) + 2, "id": str(next_id), "reason": "empty commentaire"}
            )
        out.append(line)
        next_id += rng.randint(1, 3)
    return _csv_bytes(CSAT_COLUMNS, out, delimiter=";", bom=True), malformed


def _play_row(rng: random.Random, it: Item, composer_rng: random.Random) -> list[str]:
    at = it.created
    reply, replied = "", ""
    g = GENERIC[it.lang]
    if it.key == CRASH_4_12 and at >= datetime(2026, 10, 9, 12, tzinfo=UTC) and rng.random() < 0.4:
        reply = rng.choice(g["dev_reply_crash"])
    elif it.key == "feedback.praise" and rng.random() < 0.15:
        reply = rng.choice(g["dev_reply_pos"])
    elif it.key != OFF_TOPIC and (it.rating or 5) <= 3 and rng.random() < 0.25:
        reply = rng.choice(g["dev_reply"])
    if reply:
        replied_at = at + timedelta(hours=rng.randint(3, 60), minutes=rng.randint(0, 59))
        if replied_at <= END:
            replied = replied_at.strftime("%Y-%m-%d %H:%M:%S")
        else:
            reply = ""
    thumbs = 0
    if rng.random() < (0.5 if it.key == CRASH_4_12 else 0.3):
        thumbs = rng.randint(1, 80 if it.key == CRASH_4_12 else 15)
    version = "" if it.key != CRASH_4_12 and rng.random() < 0.04 else it.version
    it.extra["version_out"] = version
    return [
        str(it.extra["review_id"]),
        _display_name(composer_rng, it.lang),
        it.text,
        str(it.rating),
        str(thumbs),
        version,
        at.strftime("%Y-%m-%d %H:%M:%S"),
        reply,
        replied,
        version,
        it.country.lower(),
    ]


def write_play(
    items: list[Item], rng: random.Random, composer: Composer
) -> tuple[bytes, list[dict[str, Any]], list[dict[str, Any]]]:
    """Play rows, plus the planted empty-content rows, bad-date rows and duplicated rows."""
    entries: list[
        tuple[datetime, str, list[str], str]
    ] = []  # (sort time, reviewId, row, malformed reason)
    for it in items:
        it.extra["review_id"] = _review_id(rng)
        entries.append((it.created, it.extra["review_id"], _play_row(rng, it, rng), ""))
    for _ in range(PLAY_EMPTY_CONTENT):
        month = MONTHS[rng.randrange(len(MONTHS))]
        when = sample_datetime(rng, month, "feedback.praise")
        country, lang = sample_locale(rng)
        rid = _review_id(rng)
        version = version_at(rng, when)
        row = [
            rid,
            _display_name(rng, lang),
            "",
            str(rng.choice([1, 4, 5, 5])),
            "0",
            version,
            when.strftime("%Y-%m-%d %H:%M:%S"),
            "",
            "",
            version,
            country.lower(),
        ]
        entries.append((when, rid, row, "empty content"))
    for bad in PLAY_BAD_DATES:
        month = MONTHS[rng.randrange(len(MONTHS))]
        when = sample_datetime(rng, month, "feedback.praise")
        country, lang = sample_locale(rng)
        key = rng.choice(["feedback.praise", "ads.too_many_ads", "tracking.steps_not_counted"])
        probe = Item(-1, key, "play", when, country, lang, "android", version_at(rng, when), "")
        text = composer.pick(THEMES[key][lang]["core"], make_slots(rng, probe))
        rid = _review_id(rng)
        score = "5" if key == "feedback.praise" else str(rng.choice([1, 2]))
        row = [
            rid,
            _display_name(rng, lang),
            text,
            score,
            "0",
            probe.version,
            bad,
            "",
            "",
            probe.version,
            country.lower(),
        ]
        entries.append((when, rid, row, f"unparseable date {bad!r}"))
    entries.sort(key=lambda e: (e[0], e[1]))
    valid_positions = [i for i, e in enumerate(entries) if not e[3]]
    duplicated = set(rng.sample(valid_positions, PLAY_DUPLICATES))  # membership only
    rows: list[list[str]] = []
    malformed: list[dict[str, Any]] = []
    duplicates: list[dict[str, Any]] = []
    for i, (_, rid, row, reason) in enumerate(entries):
        if reason:
            malformed.append({"line": len(rows) + 2, "id": rid, "reason": reason})
        rows.append(row)
        if i in duplicated:
            duplicates.append(
                {"line": len(rows) + 2, "id": rid, "duplicate_of_line": len(rows) + 1}
            )
            rows.append(list(row))
    return _csv_bytes(PLAY_COLUMNS, rows, delimiter=",", bom=False), malformed, duplicates


def write_appstore(items: list[Item], rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    """One JSON object per line, plus APPSTORE_BROKEN_LINES lines that are not valid JSON."""
    entries: list[tuple[datetime, int, Item | None]] = [(it.created, it.seq, it) for it in items]
    for k in range(APPSTORE_BROKEN_LINES):
        entries.append(
            (
                sample_datetime(rng, MONTHS[rng.randrange(len(MONTHS))], "feedback.praise"),
                20_000_000 + k,
                None,
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    lines: list[str] = []
    malformed: list[dict[str, Any]] = []
    next_id = 10_987_654_321
    broken = 0
    for created, _, it in entries:
        rid = str(next_id)
        next_id += rng.randint(3_000, 250_000)
        if it is not None:
            it.extra["id"] = rid
        if it is None:
            stamp = pacific_iso(created)
            if broken == 0:
                obj = {
                    "id": rid,
                    "author": "Mamie Rando",
                    "title": "Super appli",
                    "content": "J'adore cette appli, je marche tous les jours avec ma voisine et on a déjà eu",
                    "rating": 5,
                    "version": "4.10.2",
                    "updated": stamp,
                    "country": "fr",
                }
                text = json.dumps(obj, ensure_ascii=False)
                line, reason = (
                    text[: text.index("on a déjà eu") + len("on a déjà eu")],
                    "truncated JSON",
                )
            else:
                line = f'{{"id": "{rid}", "author": "walker_uk", "title": "Great", "content": "My doctor said "walk more" so here I am", "rating": 5, "version": "4.11.1", "updated": "{stamp}", "country": "gb"}}'
                reason = "unescaped quotes"
            broken += 1
            malformed.append({"line": len(lines) + 1, "id": rid, "reason": reason})
            lines.append(line)
            continue
        it.extra["review_id"] = rid
        obj = {
            "id": rid,
            "author": rng.choice(NICKNAMES)
            if rng.random() < 0.5
            else _display_name(rng, it.lang).replace(" ", ""),
            "title": it.title,
            "content": it.text,
            "rating": it.rating,
            "version": it.version,
            "updated": pacific_iso(created),
            "country": it.country.lower(),
        }
        it.extra["version_out"] = it.version
        lines.append(json.dumps(obj, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8"), malformed


# --------------------------------------------------------------------------------------------
# The whole data set, built in memory (nothing is written until main() runs)
# --------------------------------------------------------------------------------------------


@dataclass
class Dataset:
    items: list[Item]
    files: dict[str, bytes]
    malformed: dict[str, list[dict[str, Any]]]
    duplicates: list[dict[str, Any]]
    pii: list[str]
    pii_kinds: Counter[str]
    plan: Plan


@lru_cache(maxsize=1)
def build() -> Dataset:
    """Generate every item and every file's bytes. Deterministic: same SEED, same bytes."""
    plan = make_plan()
    rng = random.Random(SEED)
    pii = PiiFactory(random.Random(f"{SEED}/pii"))
    composer = Composer(rng, pii)
    items = plan_items(plan, rng)
    for it in items:
        {
            "ticket": composer.ticket,
            "csat": composer.csat,
            "play": composer.review,
            "appstore": composer.review,
        }[it.channel](it)
    by_channel = {c: [it for it in items if it.channel == c] for c in CHANNELS}
    files_rng = random.Random(f"{SEED}/files")
    tickets = write_tickets(by_channel["ticket"], files_rng)
    csat, csat_bad = write_csat(by_channel["csat"], files_rng)
    play, play_bad, play_dups = write_play(by_channel["play"], files_rng, Composer(files_rng, pii))
    appstore, appstore_bad = write_appstore(by_channel["appstore"], files_rng)
    files = {
        FILES["ticket"]: tickets,
        FILES["csat"]: csat,
        FILES["play"]: play,
        FILES["appstore"]: appstore,
    }
    malformed = {
        FILES["csat"]: csat_bad,
        FILES["play"]: play_bad,
        FILES["appstore"]: appstore_bad,
        FILES["ticket"]: [],
    }
    return Dataset(items, files, malformed, play_dups, sorted(pii.planted), pii.kinds, plan)


def labels() -> dict[tuple[str, str], str]:
    """Ground truth for evaluation: (channel, id as written in its file) -> planted theme.

    channel is ticket, csat, play or appstore; the theme is a taxonomy id, EMERGING or OFF_TOPIC
    (the 4.12.0 crash counts as app.crash). Duplicated and malformed rows are not items.
    """
    out: dict[tuple[str, str], str] = {}
    for it in build().items:
        key = it.extra["review_id"] if it.channel == "play" else it.extra["id"]
        out[(it.channel, str(key))] = it.theme
    return out


def planted_pii() -> list[str]:
    """Every raw personal-data string the generator wrote into a text, sorted, each once.

    Emails, phone numbers, IBANs, card numbers, street addresses, the full names in ticket
    signatures and user ids written in texts. None of them may survive in vocmine's database or
    report. (Structured id columns such as ``id_utilisateur`` or ``requester_id`` are not listed.)
    """
    return list(build().pii)


# --------------------------------------------------------------------------------------------
# Planted facts: computed from the generated items, so they cannot drift from the files
# --------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def planted_facts(ds: Dataset) -> dict[str, Any]:
    items = ds.items
    counts = {t: dict.fromkeys(MONTHS, 0) for t in ALL_THEMES}
    for it in items:
        counts[it.theme][it.month] += 1
    totals = {m: sum(counts[t][m] for t in ALL_THEMES) for m in MONTHS}
    by_source = {FILES[c]: dict.fromkeys(MONTHS, 0) for c in CHANNELS}
    theme_by_source = {t: dict.fromkeys((FILES[c] for c in CHANNELS), 0) for t in ALL_THEMES}
    for it in items:
        by_source[FILES[it.channel]][it.month] += 1
        theme_by_source[it.theme][FILES[it.channel]] += 1
    languages = Counter(it.lang for it in items)
    reviews = [it for it in items if it.channel in ("play", "appstore")]
    avg_rating = {}
    for m in MONTHS:
        stars = [it.rating or 0 for it in reviews if it.month == m]
        avg_rating[m] = round(sum(stars) / len(stars), 3)
    october_crash = [it for it in items if it.theme == "app.crash" and it.month == REPORT_MONTH]
    on_4_12 = [
        it
        for it in october_crash
        if it.channel in ("play", "appstore") and it.extra.get("version_out") == "4.12.0"
    ]
    daily = {f"2026-10-{d:02d}": 0 for d in range(1, 32)}
    for it in october_crash:
        daily[it.created.strftime("%Y-%m-%d")] += 1
    bank = [it for it in items if it.theme == "cashout.bank_transfer_delay"]
    bank_csat = [it.rating or 0 for it in bank if it.channel == "csat"]
    files_rows = {}
    for c in CHANNELS:
        name = FILES[c]
        valid = sum(1 for it in items if it.channel == c)
        bad = len(ds.malformed[name])
        dups = len(ds.duplicates) if c == "play" else 0
        files_rows[name] = {
            "items": valid,
            "malformed": bad,
            "duplicate_rows": dups,
            "records_in_file": valid + bad + dups,
        }
    september, october = MONTHS[4], MONTHS[5]
    stable = (*STABLE_BASE, OFF_TOPIC)
    return {
        "seed": SEED,
        "months": list(MONTHS),
        "report_month": REPORT_MONTH,
        "counts": counts,
        "totals": totals,
        "total_items": len(items),
        "sources": files_rows,
        "items_by_source_and_month": by_source,
        "items_by_theme_and_source": theme_by_source,
        "languages": {lang: languages[lang] for lang in ("fr", "en", "es", "de")},
        "F1": {
            "theme": "cashout.bank_transfer_delay",
            "counts": counts["cashout.bank_transfer_delay"],
            "share_tickets_and_csat": _share(
                sum(1 for it in bank if it.channel in ("ticket", "csat")), len(bank)
            ),
            "csat_items": len(bank_csat),
            "csat_share_negative_1_2": _share(sum(1 for n in bank_csat if n <= 2), len(bank_csat)),
        },
        "F2": {
            "theme": "app.crash",
            "counts": counts["app.crash"],
            "release": "4.12.0",
            "release_date": "2026-10-08",
            "october_rewards_tab_crash": ds.plan.counts[CRASH_4_12][5],
            "october_reviews_on_4_12_0": len(on_4_12),
            "october_share_reviews_on_4_12_0": _share(len(on_4_12), len(october_crash)),
            "october_daily": daily,
        },
        "F3": {"theme": "cashout.gift_card_issue", "counts": counts["cashout.gift_card_issue"]},
        "F4": {
            "theme": "account.login",
            "counts": counts["account.login"],
            "share": {m: _share(counts["account.login"][m], totals[m]) for m in MONTHS},
        },
        "F5": {
            "stable_factor_october": OCTOBER_VOLUME_FACTOR,
            "september_total": totals[september],
            "october_total": totals[october],
            "stable_themes_september": sum(counts[t][september] for t in stable),
            "stable_themes_october": sum(counts[t][october] for t in stable),
            "october_extra_reviews": sum(ds.plan.october_extra_reviews.values()),
        },
        "F6": {
            "theme": EMERGING,
            "in_taxonomy": False,
            "launch": TEAM_LAUNCH.isoformat(),
            "counts": counts[EMERGING],
        },
        "F7": {"average_review_rating": avg_rating, "praise_review_rating": 5},
        "F8": {"themes": [t for t in STABLE_BASE if t != "account.login"]},
        "F9": {
            "theme": None,
            "counts": counts[OFF_TOPIC],
            "share": _share(sum(counts[OFF_TOPIC].values()), len(items)),
        },
        "F10": {"malformed": ds.malformed, "duplicates": ds.duplicates},
        "pii": {
            "strings": len(ds.pii),
            "by_kind": dict(sorted(ds.pii_kinds.items())),
            "items_with_pii": sum(1 for it in items if it.pii),
            "share_of_items": _share(sum(1 for it in items if it.pii), len(items)),
        },
    }


def check_facts(facts: dict[str, Any]) -> list[str]:
    """The promises README.md makes; returns what is broken (empty when all hold)."""
    problems = []
    months = facts["months"]
    f2 = facts["F2"]
    if f2["october_share_reviews_on_4_12_0"] < 0.8:
        problems.append(
            f"F2: only {f2['october_share_reviews_on_4_12_0']:.0%} of October crashes are 4.12.0 reviews"
        )
    avg = facts["F7"]["average_review_rating"]
    if not avg[months[5]] < min(avg[m] for m in months[:5]):
        problems.append("F7: October's average rating is not the lowest")
    gift = list(facts["F3"]["counts"].values())
    if gift != sorted(gift, reverse=True):
        problems.append("F3: gift card issues do not fall every month")
    if facts["total_items"] < 3200:
        problems.append("fewer than 3,200 items")
    if any(facts["F6"]["counts"][m] for m in months[:4]):
        problems.append("F6: team challenges appear before September")
    return problems


PLANTED_FACTS: dict[str, Any] = planted_facts(build())


# --------------------------------------------------------------------------------------------
# Summary and entry point
# --------------------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; columns whose cells are all numbers are right-aligned."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    ncols = range(len(header))
    widths = [max(len(r[i]) for r in cells) for i in ncols]
    numeric = [all(_is_number(r[i]) for r in cells[1:]) for i in ncols]

    def line(row: list[str]) -> str:
        padded = (
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if num else "-" * (w + 2)
            for w, num in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(cells[0]), rule, *[line(r) for r in cells[1:]]])


def _is_number(cell: str) -> bool:
    return cell.replace(".", "").replace("%", "").replace("*", "").isdigit()


def summary(facts: dict[str, Any]) -> str:
    months = facts["months"]
    short = [m[5:] for m in months]
    out = ["## Items per theme and month (as planted; malformed and duplicate rows excluded)", ""]
    rows = [
        [t, *[facts["counts"][t][m] for m in months], sum(facts["counts"][t].values())]
        for t in ALL_THEMES
    ]
    rows.append(["**total**", *[facts["totals"][m] for m in months], facts["total_items"]])
    out += [_table(["theme", *short, "total"], rows), ""]
    out += ["## Items per source and month", ""]
    src = facts["items_by_source_and_month"]
    out += [
        _table(
            ["file", *short, "total"],
            [[f, *[src[f][m] for m in months], sum(src[f].values())] for f in src],
        ),
        "",
    ]
    out += ["## Items per theme and source (all months)", ""]
    tbs = facts["items_by_theme_and_source"]
    names = [FILES[c] for c in CHANNELS]
    out += [
        _table(
            ["theme", "tickets", "csat", "play", "appstore"],
            [[t, *[tbs[t][n] for n in names]] for t in ALL_THEMES],
        ),
        "",
    ]
    out += ["## Records per file", ""]
    out += [
        _table(
            ["file", "items", "malformed", "duplicate rows", "records in file"],
            [
                [f, v["items"], v["malformed"], v["duplicate_rows"], v["records_in_file"]]
                for f, v in facts["sources"].items()
            ],
        ),
        "",
    ]
    total = facts["total_items"]
    out += ["## Languages", ""]
    out += [
        _table(
            ["language", "items", "share"],
            [[lang, n, f"{n / total:.1%}"] for lang, n in facts["languages"].items()],
        ),
        "",
    ]
    f2, f4 = facts["F2"], facts["F4"]
    out += ["## Trend details", ""]
    out += [
        _table(
            ["month", *short],
            [
                ["account.login share", *[f"{f4['share'][m]:.2%}" for m in months]],
                [
                    "average review stars",
                    *[f"{facts['F7']['average_review_rating'][m]:.2f}" for m in months],
                ],
            ],
        ),
        "",
    ]
    out.append(
        f"- F1: {facts['F1']['share_tickets_and_csat']:.0%} of bank-transfer items are tickets or CSAT; "
        f"{facts['F1']['csat_share_negative_1_2']:.0%} of their {facts['F1']['csat_items']} CSAT notes are 1-2."
    )
    out.append(
        f"- F2: October app.crash = {f2['counts'][REPORT_MONTH]} items, of which {f2['october_rewards_tab_crash']} describe the "
        f"rewards-tab crash; {f2['october_reviews_on_4_12_0']} ({f2['october_share_reviews_on_4_12_0']:.0%}) are store reviews on 4.12.0."
    )
    daily = ", ".join(f"{d[8:]}:{n}" for d, n in f2["october_daily"].items())
    out.append(f"- F2 daily app.crash items in October: {daily}")
    f5 = facts["F5"]
    out.append(
        f"- F5: total {f5['september_total']} in September -> {f5['october_total']} in October; themes without a planted "
        f"trend (incl. off-topic) {f5['stable_themes_september']} -> {f5['stable_themes_october']}; "
        f"{f5['october_extra_reviews']} of October's items are the extra reviews."
    )
    out.append(f"- F9: off-topic share {facts['F9']['share']:.1%}.")
    pii = facts["pii"]
    out.append(
        f"- PII: {pii['strings']} distinct strings in {pii['items_with_pii']} items ({pii['share_of_items']:.1%}); by kind {pii['by_kind']}."
    )
    out += ["", "## Malformed and duplicate rows (F10)", ""]
    bad_rows = [
        [f, r["line"], r["id"], r["reason"]]
        for f, rows_ in facts["F10"]["malformed"].items()
        for r in rows_
    ]
    bad_rows += [
        [FILES["play"], d["line"], d["id"], f"exact duplicate of line {d['duplicate_of_line']}"]
        for d in facts["F10"]["duplicates"]
    ]
    out += [_table(["file", "line", "id", "problem"], bad_rows)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        description="Write the invented Marcheo feedback files and print what was planted."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT_DIR,
        help="directory to write the four files into (default: examples/)",
    )
    args = parser.parse_args(argv)
    ds = build()
    problems = check_facts(PLANTED_FACTS)
    if problems:
        print("planted facts do not hold:\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in ds.files.items():
        (args.out / name).write_bytes(data)
    print(summary(PLANTED_FACTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())

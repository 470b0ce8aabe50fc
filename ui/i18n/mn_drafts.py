"""Machine-made drafts of the shell's traditional Mongolian (``mn``) strings, awaiting a native reviewer.

Made without a native speaker: ``python -m ui.i18n.build`` copies a draft into ``kiosk_mn.ts`` only where the
.ts has no translation yet, and marks it ``type="unfinished"`` so Qt Linguist lists it for review (lrelease
still compiles it, so the kiosk shows it). A reviewed translation (finished) is never overwritten.
Keys are the English source strings; values are in the transliteration of ``kiosk/mn_script.py``.
"""

from __future__ import annotations

from kiosk.mn_script import to_script

# Counts in a label one CJK line high: Mongolian script is taller than that line, so these stay digits only.
DIGITS_ONLY = frozenset({"{0} of 18 characters typed"})

_DRAFTS = {
    # ---- shared words
    "Finish": "tegUskekU",
    "Something else": "busu kereg bUtUgekU",
    "Stop waiting": "kUliyekU-yi bayiGulqu",
    "Continue": "urgulji_a bUtUgekU",
    "Cancel": "bolicaqu",
    "Enter": "batalaqu",
    "Done": "bolba",
    "OK": "kebiyin",
    "Send": "ilegekU",
    "Skip": "algasaqu",
    "Note": "tayilburi",
    "Problem": "asaGudal",
    "Help hotline: {0}": "tusalamji-yin utasu: {0}",
    "Department: {0}": "salbur: {0}",
    "Take a queue number": "daraGalal-un dugar abqu",
    "Could not get it done? Tell us": "kereg-iyen bUtUgejU cadaqu Ugei yu? bidan-a kelegerei",
    "Book a window appointment": "congqu-yin Uilecilgen-dU boljiyan abqu",
    "Cancel an appointment": "boljiyan-i bolicaqu",
    # ---- Answer
    "Result": "Ur_e dUng",
    "Ask again": "dakin asaGuqu",
    "Print this answer": "ene qariGu-yi keblekU",
    "Print again": "dakin keblekU",
    "Verification code: {0}": "batalaqu kod: {0}",
    "{0} page(s), issued {1}. The code on every page lets anyone check that the certificate is genuine.":
        "{0} quudasu, {1}-dU OgOgsen. quudasu bUri-yin kod-iyar gerecilel-Un Unen qudal-i SalGan cidaqu.",
    "Asking the department, please wait. It usually takes a few seconds.":
        "salbur-aca asaGuju bayin_a, kUliyegerei. ciqula kedUn seGUnd boluGsan.",
    "You stopped waiting. You can ask again.": "ta kUliyekU-yi bayiGulba. dakin asaGuju bolon_a.",
    "Your certificate is ready. It comes out of the A4 printer:":
        "tan-u gerecilel beledkegdebe. `A4` keblegUr-ece GarGan_a:",
    "Here is what the department's records show:": "salbur-un temdeglel-dU iyimu bayin_a:",
    # ---- Appointment
    "Mon": "GaraG-un nigen", "Tue": "GaraG-un qoyar", "Wed": "GaraG-un Gurban", "Thu": "GaraG-un dOrben",
    "Fri": "GaraG-un tabun", "Sat": "GaraG-un jirGuGan", "Sun": "GaraG-un edUr",
    "Appointment at: {0}": "boljiyan-u salbur: {0}",
    "{0} places left": "{0} orun Uldebe",
    "Fully booked": "boljiyan dUgUrcei",
    "Name: {0}": "ner_e: {0}",
    "ID number: {0}": "biy_e-yin UnemlekU-yin dugar: {0}",
    "No times can be booked at the moment. Please call the hotline.":
        "odo boljiyan abcu bolqu caG Ugei. tusalamji-yin utasu-bar qolboGdaGarai.",
    "Choose a day, then a time. Book at least one day ahead; one booking per person per day. Bring your ID card.":
        "eqlen edUr, daraGan_a caG-i songGuGarai. dor_a qamuGuGar nigen edUr-Un urida boljiyan abun_a, "
        "nigen kUmUn nigen edUr nigen udaG_a. biy_e-yin UnemlekU-ben abcu iregerei.",
    "Appointment booked": "boljiyan abuGdaba",
    "Appointment number": "boljiyan-u dugar",
    "Show this code at the hall": "tangkim-dU UjegUl",
    "Your appointment is booked.": "tan-u boljiyan abuGdaba.",
    "Time: {0}": "caG: {0}",
    "Arrive on time and exchange the slip for a priority number at the hall.":
        "caG-tu-ban iregerei, boljiyan-u tasulbur-iyar tangkim-dU urida abqu dugar solin_a.",
    "Cannot come? Cancel at this kiosk at least 2 hours before: identify, then \"Cancel an appointment\".":
        "iresi Ugei bol 2 caG-un urida ene masin-dU bolicaGarai: "
        "biy_e-ben batalaGad \"boljiyan-i bolicaqu\"-yi daran_a.",
    # ---- Attract
    "24-hour self-service": "24 caG-un Uilecilgen",
    "Tap here to start": "ende daruGad ekilegerei",
    "or place your ID card or social security card on the reader":
        "esebel kart-iyan ungsiGci deger_e talbiGarai",
    "Check progress": "yabuGdal-i asaGuqu",
    "Elderly mode: larger text": "ObOged-Un Gorim: tom Useg",
    "Queue numbers are issued while the hall is open.": "tangkim ajillaqu caG-tu dugar OgUn_e.",
    # ---- Bookings
    "Cancel this appointment": "ene boljiyan-i bolicaqu",
    "Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.":
        "ene masin-dU abuGsan boljiyan-i 2 caG-un urida ende bolicaju bolon_a. busud-i {0}-dU utasudaGarai.",
    "Which appointment do you want to cancel?": "ta ali boljiyan-i bolicaqu bui?",
    "You have no appointments booked at this kiosk.": "tan-dU ene masin-dU abuGsan boljiyan Ugei.",
    "Appointment cancelled": "boljiyan bolicaGdaba",
    "Your appointment is cancelled. The hall has been told.": "tan-u boljiyan bolicaGdaba. tangkim-dU medegdebe.",
    # ---- Choose
    "What would you like to do?": "ta yaGu bUtUgekU bui?",
    "◀ Back to the services": "◀ Uilecilgen-U jaGsaGalta-dU bucaqu",
    "One-thing bundles": "nigen kereg-i nige udaG_a bUtUgekU",
    "Appointments and more": "boljiyan, dugar abqu, sanal",
    "Hello, {0}. What would you like to do?": "{0}, sayin bayin_a uu? ta yaGu bUtUgekU bui?",
    "Hello. What would you like to do?": "sayin bayin_a uu? ta yaGu bUtUgekU bui?",
    "The connection to the service center is down. Services marked as needing it cannot be done now; "
    "everything else is saved here and sent later.":
        "Uilecilgen-U tOb-tei qolbuGdal tasuraba. sUljiye kereglekU Uilecilgen-i odo bUtUgejU cidaqu Ugei, "
        "busu bUgUde ende qadaGalaGdaju daraGa-ni ilegegden_e.",
    "Book an appointment: which department?": "boljiyan abqu: ali salbur bui?",
    # ---- Devices
    "The printer is not working right now.": "keblegUr odo ajillaqu Ugei.",
    "The printer has run out of paper.": "keblegUr-Un caGasu duusuba.",
    "The printer cover is open.": "keblegUr-Un taGla neGegdeji bayin_a.",
    "Your application is saved. Please photograph the QR code or write down the reference number {0}. "
    "You can collect a printed receipt at the service window with this number.":
        "tan-u UrgUdUl qadaGalaGdaba. `QR` kod-i jiruGlaGad esebel {0} dugar-i bicijU abuGarai. "
        "ene dugar-iyar Uilecilgen-U congqu-aca keblegsen tasulbur abcu bolon_a.",
    "The card reader is not working right now. Please type your ID number instead.":
        "kart ungsiGci odo ajillaqu Ugei. biy_e-yin UnemlekU-yin dugar-iyan oruGulun_a uu.",
    "The ticket printer is not working right now. Your number is shown on the screen: "
    "please photograph it or write it down.":
        "dugar keblegUr odo ajillaqu Ugei. tan-u dugar delgegcin-dU bayin_a: jiruGlaGad esebel bicijU abuGarai.",
    "A device is not working right now.": "nigen tOkOgeremji odo ajillaqu Ugei.",
    "Please photograph the QR code or write down the appointment number {0}: it is your slip.":
        "`QR` kod-i jiruGlaGad esebel {0} boljiyan-u dugar-i bicijU abuGarai: ene tan-u tasulbur mOn.",
    "The notice stays on the screen. You can also get a printed copy at the service window.":
        "medegdel delgegcin-dU Ulden_e. Uilecilgen-U congqu-aca keblegsen-i abcu bolon_a.",
    "Printing, please wait…": "keblejU bayin_a, kUliyegerei…",
    "Printed. Please take it from the slot below the screen.":
        "keblegdebe. delgegcin-U dooraki amasar-aca abuGarai.",
    "The printer could not print.": "keblegUr keblejU cadaqu Ugei.",
    "The card could not be read. Place it flat on the reader again, or type your ID number.":
        "kart-i ungsiju cadaqu Ugei. ungsiGci deger_e dakin talbiGad esebel UnemlekU-yin dugar-iyan oruGulun_a uu.",
    # ---- Farewell
    "Please take your card": "kart-iyan abuGarai",
    "Your ID card is still on the reader below the screen.":
        "tan-u UnemlekU delgegcin-U dooraki ungsiGci deger_e bayin_a.",
    "Do not forget your receipt and your belongings.": "tasulbur bolun ed baraG_a-ban bU martaGarai.",
    "Thank you, goodbye": "bayarlalaa, bayartai",
    "Your details are no longer on the screen. What you sent is kept safely on this kiosk until "
    "the service center has received it.":
        "tan-u medeel_e delgegcin-ece arilaba. tan-u ilegegsen-i Uilecilgen-U tOb kUliyen abtal_a "
        "ene masin-dU ayulGui qadaGalan_a.",
    "Under maintenance": "jasabur-tu bayin_a",
    "This kiosk is being serviced. Please use another kiosk or call {0}.":
        "ene masin-i jasaju bayin_a. busu masin kereglejU esebel {0}-dU utasudaGarai.",
    "Out of service": "Uilecilgen tUr jogsoba",
    "This kiosk's storage is nearly full, so it cannot take applications right now. Please use another kiosk.":
        "ene masin-u sang dUgUrcU bayin_a, odo UrgUdUl abcu cidaqu Ugei. busu masin kereglegerei.",
    "This kiosk cannot take applications right now. Please use another kiosk.":
        "ene masin odo UrgUdUl abcu cidaqu Ugei. busu masin kereglegerei.",
    # ---- Form
    "From your card": "kart-aca",
    "From the ID number you typed": "tan-u oruGulsan UnemlekU-yin dugar-aca",
    "Application form: {0}": "qaGudasu: {0}",
    "◀ Previous field": "◀ Omneki zUil",
    "Next field ▶": "daraGaki zUil ▶",
    "One form for everything; * marks what is required. Tap a field above to fill it in.":
        "* temdegtei-yi bOgelen_e.",
    "One form for everything; * marks what is required. Tap a field on the left.":
        "* temdegtei-yi bOgelen_e.",
    "Check and continue": "SalGaGad urgulji_a",
    "This comes from your identity and cannot be changed here. To change it, go back.":
        "ene tan-u biy_e-yin medeel_e-ece iregsen, ende OOrcilejU bolqu Ugei. OOrcilekU bol bucaGarai.",
    # ---- Handwriting and keypad
    "Write again": "dakin bicikU",
    "Pinyin keys": "`pinyin` tobcilaGur",
    "Clear": "arilGaqu",
    "Delete": "ustaGaqu",
    "Space": "jay",
    "Write": "Gar-iyar bicikU",
    # ---- Identify
    "Identify yourself": "biy_e-ben batalaqu",
    "Please identify yourself: tap your card, or type your ID number":
        "biy_e-ben batalaGarai: kart-iyan kUrgeged esebel UnemlekU-yin dugar-iyan oruGulun_a uu",
    "Please type your ID number: the card reader cannot be used":
        "kart ungsiGci ajillaqu Ugei: UnemlekU-yin dugar-iyan oruGulun_a uu",
    "Tap your card": "kart-iyan kUrgekU",
    "Place your resident ID card flat on the reader below the screen and leave it there until your name appears. "
    "A social security card works too.":
        "UnemlekU-ben dooraki ungsiGci deger_e talbiGarai.",
    "Or type your 18-character ID number": "esebel 18 orun-tu UnemlekU-yin dugar-iyan oruGulun_a uu",
    "Type your 18-character ID number": "18 orun-tu UnemlekU-yin dugar-iyan oruGulun_a uu",
    "Confirm ID number": "UnemlekU-yin dugar-i batalaqu",
    "Or show your phone's sign-in code to the scanner.":
        "esebel Gar utasun-u nebterekU kod-i sikanir-tu UjegUlUgerei.",
    "The card reader is ready.": "kart ungsiGci beledkegdebe.",
    "Card reader: off": "kart ungsiGci: ajillaqu Ugei",
    "{0} of 18 characters typed": "{0}/18",
    # ---- Idle
    "Are you still there?": "ta ende bayin_a uu?",
    "For your privacy, everything you entered will be cleared when the time runs out.":
        "tan-u nuuca-yi qamaGalaqu-yin tula, caG duusqu-du oruGulsan bUgUde arilGaGdan_a.",
    "{0} s": "{0} seGUnd",
    # ---- Maintenance (for technicians; drafted like the rest)
    "Kiosk": "masin",
    "The kiosk's storage cannot be read.": "masin-u sang-i ungsiju cadaqu Ugei.",
    "Testing…": "SinjilejU bayin_a…",
    "Self-test passed.": "Oberiyen Sinjilel dababa.",
    "Self-test failed: {0}": "Oberiyen Sinjilel dabaGsan Ugei: {0}",
    "Could not save: the kiosk's storage failed.": "qadaGalaju cadaqu Ugei: masin-u sang ebderebe.",
    "Counter reset ({0} printed on the old roll).": "toGoluGur tegleregdebe (qaGucin Oremel-dU {0} keblebe).",
    "Answer every item, with a note for each problem, and type who inspected.":
        "zUil bUri-yi bOgelejU, asaGudal bUri-dU tayilburi bicijU, SalGaGci-yin ner_e-yi oruGulun_a uu.",
    "Inspection saved. It is sent to the hall as soon as the link allows.":
        "SalGalta qadaGalaGdaba. qolbuGdal bolqu-du tangkim-dU ilegegden_e.",
    "A card was read: the card reader works.": "kart ungsiGdaba: kart ungsiGci ajillaju bayin_a.",
    "A card could not be read.": "kart ungsiGdaGsan Ugei.",
    "Check each item at the kiosk. A failed item needs a note of what you found.":
        "masin-u dergede zUil bUri-yi SalGaGarai. asaGudal-tai zUil-dU tayilburi bicin_e.",
    "Type name": "ner_e oruGulqu",
    "Send the inspection to the hall": "SalGalta-yi tangkim-dU ilegekU",
    "Inspected by: {0}": "SalGaGci: {0}",
    "Items still to answer (or to note): {0}": "bOgelegdeGUi (tayilburi Ugei) zUil: {0}",
    "Type who inspected, then send.": "SalGaGci-yin ner_e-yi oruGulaGad ilegegerei.",
    "Ready to send.": "ilegekU-dU beledkegdebe.",
    "Who inspected (name or staff number)": "SalGaGci (ner_e esebel ajiltan-u dugar)",
    "Note for: {0}": "tayilburi: {0}",
    "Technician access": "jasabur-un ajiltan nebterekU",
    "Enter the maintenance PIN": "jasabur-un niGuca dugar-i oruGulun_a uu",
    "For technicians only. Citizens: please tap Cancel to return to the start screen.":
        "jObken jasabur-un ajiltan-du. irged \"bolicaqu\"-yi daruGad ekin delgegcin-dU bucaGarai.",
    "Wrong PIN. {0} tries left before the lock.": "niGuca dugar buruGu. tUgjigdekU-yin urida {0} udaG_a Uldebe.",
    "Too many wrong PINs. Try again in {0} min.": "buruGu dugar dengdegUU olan. {0} minut-un daraG_a dakin oruGarai.",
    "Receipt printer": "tasulbur-un keblegUr",
    "ID card reader": "biy_e-yin UnemlekU ungsiGci",
    "Social security card reader": "niyigem-Un daGaduGal-un kart ungsiGci",
    "Queue ticket dispenser": "daraGalal-un dugar OgUgci",
    "QR code scanner": "`QR` kod sikanir",
    "No report yet": "medegdel Ugei",
    "Working": "ajillaju bayin_a",
    "Needs attention": "anakaral kereg-tei",
    "Fault": "ebderel",
    "Not connected": "qolbuGdaGsan Ugei",
    "Not installed": "suurilaGulaGsan Ugei",
    "Self-test": "Oberiyen Sinjilel",
    "Remove sample card": "jiSiy_e kart-i abqu",
    "Insert sample card": "jiSiy_e kart-i talbiqu",
    "Maintenance": "jasabur",
    "Devices": "tOkOgeremji",
    "Paper and tickets": "caGasu bolun dugar",
    "Daily inspection": "edUr bUri-yin SalGalta",
    "Leave maintenance": "jasabur-aca Garqu",
    "Receipts and notices printed since the paper was replaced":
        "caGasu solisan-aca qoyisi keblegsen tasulbur, medegdel",
    "Queue tickets printed since the ticket roll was replaced": "dugar-un Oremel solisan-aca qoyisi OgUgsen dugar",
    "New roll put in: reset the counter": "sin_e Oremel talbiba: toGoluGur-i teglerekU",
    "Open faults:": "odoki ebderel:",
    "No open faults.": "ebderel Ugei.",
    "Records waiting to be sent to the hall: {0}": "tangkim-dU ilegekU-yi kUliyejU bui temdeglel: {0}",
    "Counting since {0}": "{0}-aca ekilen toGolaju bayin_a",
    "Nothing printed since the counter started.": "toGolaju ekilegsen-ece qoyisi yaGu ber keblegdegsen Ugei.",
    # ---- Notice
    "One-time notice": "nigen udaGan-u medegdel",
    "Print this notice": "ene medegdel-i keblekU",
    "I have read it: fill in the form": "ungsiba: qaGudasu bOgelekU",
    "Materials to prepare:": "beledkekU material:",
    "Who can apply:": "UrgUdUl OgcU bolqu kUmUn:",
    "Time limit:": "caG-un kijaGar:",
    "Fee:": "tOlbUri:",
    "Result:": "Ur_e dUng:",
    "Legal basis:": "qauli-yin Undusun:",
    # ---- Online, pager, progress
    "Checking your phone code, please wait…": "Gar utasun-u kod-i SalGaju bayin_a, kUliyegerei…",
    "▲ Page up": "▲ Omneki quudasu",
    "▼ Page down": "▼ daraGaki quudasu",
    "Application progress": "UrgUdUl-Un yabuGdal",
    "Hold the QR code of your receipt under the scanner, or type the reference number printed on the receipt.":
        "tasulbur-un `QR` kod-i sikanir-un dooGur barijU esebel tasulbur deger_e-ki dugar-i oruGulun_a uu.",
    "Look it up": "asaGuqu",
    "Reference number: {0}": "UrgUdUl-Un dugar: {0}",
    "Application {0}": "UrgUdUl {0}",
    "Looking it up, please wait…": "asaGuju bayin_a, kUliyegerei…",
    "You stopped waiting. You can look it up again.": "ta kUliyekU-yi bayiGulba. dakin asaGuju bolon_a.",
    "Since {0}": "{0}-aca",
    "Note from the service center: {0}": "Uilecilgen-U tOb-Un tayilburi: {0}",
    # ---- Rate
    "Rate this service": "Uilecilgen-dU dUgnelte OgkU",
    "How satisfied are you with this service?": "ene Uilecilgen-dU ta qanumsiqu uu?",
    "What went wrong? Choose one or more:": "yaGu ni taGarakU Ugei bayiba? nigen esebel olan-i songGun_a uu:",
    "Send my rating": "dUgnelte-ben ilegekU",
    # ---- Report
    "Could not get it done?": "kereg-iyen bUtUgejU cadaqu Ugei yu?",
    "Tell us what kept you from getting it done. The hall will follow up.":
        "yaGu-bar bUtUgejU cadaGsan Ugei-ben bidan-a kelegerei. tangkim ulam SiidbUrilen_e.",
    "Call-back phone": "qariGu utasu",
    "A few words": "tobci tayilburi",
    "Phone (optional): {0}": "utasu (durabar): {0}",
    "Description (pinyin or English): {0}": "tayilburi (`pinyin` esebel angGli kele): {0}",
    "Thank you": "bayarlalaa",
    "Report number": "sanal-un dugar",
    "Thank you. Your report has been recorded.": "bayarlalaa. tan-u sanal temdeglegdebe.",
    "The service center will look into it. If you left a phone number, they will call you back. Help hotline: {0}":
        "Uilecilgen-U tOb Sinjilen_e. utasu-ban Ulegegsen bol tan-dU qariju utasudan_a. tusalamji-yin utasu: {0}",
    # ---- Review
    "Check your application": "UrgUdUl-iyen SalGaqu",
    "Please check everything before sending.": "ilegekU-yin urida bUgUde-yi SalGaGarai.",
    "Change something": "bucaju OOrcilekU",
    "Everything is right: send": "bUgUde jOb: ilegekU",
    "Hide {0}": "{0}-i nuuqu",
    "Show {0}": "{0}-i UjegUlkU",
    # ---- Steps
    "ID": "UnemlekU",
    "Service": "Uilecilgen",
    "Notice": "medegdel",
    "Form": "qaGudasu",
    "Check": "SalGaqu",
    "Sent": "ilegebe",
    "Department": "salbur",
    "Time": "caG",
    "Booked": "boljiyan-u tasulbur",
    "Booking": "boljiyan songGuqu",
    "Cancelled": "bolicaGdaba",
    "Your number": "tan-u dugar",
    # ---- Submitted
    "Application sent": "UrgUdUl ilegegdebe",
    "Your reference number": "tan-u UrgUdUl-Un dugar",
    "Scan to track your application": "sikanidcu asaGuqu",
    "Get my receipt": "tasulbur abqu",
    "Applied for: {0}": "UrgUdUl-Un kereg: {0}",
    "The network is down: your application is saved on this kiosk and will be sent automatically. Do not apply again.":
        "sUljiye tasuraba: tan-u UrgUdUl ene masin-dU qadaGalaGdaju Oberiyen ilegegden_e. dakin bU OgUgerei.",
    "Your application has been sent to the service center.": "tan-u UrgUdUl Uilecilgen-U tOb-tU ilegegdebe.",
    "Please bring these to the window:": "egUn-i congqu-dU abcu iregerei:",
    "Done. Your application has been received.": "bolba. tan-u UrgUdUl kUliyen abuGdaba.",
    "Your receipt": "tan-u tasulbur",
    "Next: rate this service": "daraGa ni: Uilecilgen-dU dUgnelte OgkU",
    "Done: your application has been received. Keep this number until it is done.":
        "bolba: tan-u UrgUdUl kUliyen abuGdaba. kereg bUtUtel_e ene dugar-i qadaGalaGarai.",
    # ---- Ticket
    "Which department do you need?": "ta ali salbur-tu ociqu bui?",
    "Your queue number": "tan-u daraGalal-un dugar",
    "Show this code at the window": "congqu-dU UjegUl",
    "Please wait until your number is called.": "dugar-iyan duudaGdatal_a kUliyegerei.",
    "People waiting before you: {0}": "tan-u Omne kUliyejU bui kUmUn: {0}",
    "Issued while the network is down: show this number at the window when called.":
        "sUljiye tasuraGsan Ued OgUgsen dugar: duudaGdaqu-du congqu-dU UjegUlUgerei.",
    "If you miss your call, please take a new number.": "duudalGa-aca qocorobal sin_e dugar abuGarai.",
    # ---- Tiles and window
    "◀ Previous page": "◀ Omneki quudasu",
    "Next page ▶": "daraGaki quudasu ▶",
    "Page {0} of {1}": "{1}-ece {0} quudasu",
    "Larger text": "tom Useg",
    "Voice": "dayun",
    "◀ Back": "◀ bucaqu",
    "End visit": "daGusqaqu",
    "Need help? Call {0}": "tusalamji kereg-tei yu? {0}-dU utasudaGarai",
    "Demo: tap sample card (F2)": "UjegUlen: jiSiy_e kart kUrgekU (`F2`)",
    # ---- Capture (the document camera), drafted at the merge with the camera work
    "Add a page": "dakin nige quudasu jiruGlaqu",
    "Bring it to the window": "congqu-dU abcu ociqu",
    "Lay the first page flat under the camera, then tap “Take photo”.":
        "terigUn quudasu-yi kamer-un doora tegsi talbiGad jiruG abqu-yi daruGarai.",
    "Lay the material flat in the lit area, all four corners in view.":
        "material-i gerel-tei gajar-a tegsi talbiju dOrben OncOg-i bUgUde-yi UjegUlUgerei.",
    "Material found: hold still and take the photo.": "material olddaba: bU kOdelUged jiruG abuGarai.",
    "Material {0} of {1}: {2}": "{1}-ece {0} material: {2}",
    "Next material ▶": "daraGaki material ▶",
    "Pages taken of this material: {0}": "ene material-un jiruGlaGsan quudasu: {0}",
    "Photograph your materials": "material-iyan jiruGlaqu",
    "Photographed {0} · to the window {1} · to do {2}": "jiruGlaGsan {0} · congqu-dU {1} · Ulegsen {2}",
    "Retake the last page": "sUUlci quudasu-yi dakin jiruGlaqu",
    "Send the application": "UrgUdUl ilegekU",
    "Starting the camera…": "kamer-i asaGaju bayin_a…",
    "Take photo": "jiruG abqu",
    "Taking the photo, please do not move the material…": "jiruG abcu bayin_a, material-i bU kOdelgegerei…",
    "The camera is not working right now. The pages already taken are kept; please bring the other materials to "
    "the service window.":
        "kamer odo ajillaqu Ugei. jiruGlaGsan quudasu qadaGalaGdaba; busu material-i Uilecilgen-U congqu-dU "
        "abcu iregerei.",
    "Document camera": "bicig-Un kamer",
    "A4 certificate printer": "A4 gercilgen-U keblegUr",
    "Accessibility keypad": "saGad Ugei tobcilaGur",
    "Everything is right: photograph the materials": "bUgUde jOb: material-i jiruGlaqu",
    "Photos": "jiruG",
    "All materials handed in: nothing to bring to the window.":
        "bUkU material OgUgdebe: congqu-dU abcu ireku yaGuma Ugei.",
    "Handed in here (photographed):": "ende OgUgsen (jiruGlaGsan):",
}


def draft(source: str) -> str:
    """The machine-made Mongolian draft for the English ``source`` ("" when there is none)."""
    latin = _DRAFTS.get(source, "")
    return to_script(latin) if latin else ""

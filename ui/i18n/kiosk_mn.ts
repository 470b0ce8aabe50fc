<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="mn_CN">
    <context>
        <name>Answer</name>
        <message>
            <source>Result</source>
            <translation type="unfinished">ᠦᠷ᠎ᠡ ᠳᠦᠩ</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation type="unfinished">ᠬᠦᠯᠢᠶᠡᠬᠦ ᠶᠢ ᠪᠠᠶᠢᠭᠤᠯᠬᠤ</translation>
        </message>
        <message>
            <source>Ask again</source>
            <translation type="unfinished">ᠳᠠᠬᠢᠨ ᠠᠰᠠᠭᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Print this answer</source>
            <translation type="unfinished">ᠡᠨᠡ ᠬᠠᠷᠢᠭᠤ ᠶᠢ ᠬᠡᠪᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Print again</source>
            <translation type="unfinished">ᠳᠠᠬᠢᠨ ᠬᠡᠪᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation type="unfinished">ᠪᠤᠰᠤ ᠬᠡᠷᠡᠭ ᠪᠦᠲᠦᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation type="unfinished">ᠲᠡᠭᠦᠰᠬᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Verification code: {0}</source>
            <translation type="unfinished">ᠪᠠᠲᠠᠯᠠᠬᠤ ᠬᠣᠳ: {0}</translation>
        </message>
        <message>
            <source>{0} page(s), issued {1}. The code on every page lets anyone check that the certificate is genuine.</source>
            <translation type="unfinished">{0} ᠬᠤᠤᠳᠠᠰᠤ᠂ {1} ᠳᠦ ᠥᠭᠥᠭᠰᠡᠨ᠃ ᠬᠤᠤᠳᠠᠰᠤ ᠪᠦᠷᠢ ᠶᠢᠨ ᠬᠣᠳ ᠢᠶᠠᠷ ᠭᠡᠷᠡᠴᠢᠯᠡᠯ ᠦᠨ ᠦᠨᠡᠨ ᠬᠤᠳᠠᠯ ᠢ ᠱᠠᠯᠭᠠᠨ ᠴᠢᠳᠠᠬᠤ᠃</translation>
        </message>
        <message>
            <source>Asking the department, please wait. It usually takes a few seconds.</source>
            <translation type="unfinished">ᠰᠠᠯᠪᠤᠷ ᠠᠴᠠ ᠠᠰᠠᠭᠤᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠬᠦᠯᠢᠶᠡᠭᠡᠷᠡᠢ᠃ ᠴᠢᠬᠤᠯᠠ ᠬᠡᠳᠦᠨ ᠰᠡᠭᠦᠨᠳ ᠪᠣᠯᠤᠭᠰᠠᠨ᠃</translation>
        </message>
        <message>
            <source>You stopped waiting. You can ask again.</source>
            <translation type="unfinished">ᠲᠠ ᠬᠦᠯᠢᠶᠡᠬᠦ ᠶᠢ ᠪᠠᠶᠢᠭᠤᠯᠪᠠ᠃ ᠳᠠᠬᠢᠨ ᠠᠰᠠᠭᠤᠵᠤ ᠪᠣᠯᠣᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Your certificate is ready. It comes out of the A4 printer:</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠭᠡᠷᠡᠴᠢᠯᠡᠯ ᠪᠡᠯᠡᠳᠬᠡᠭᠳᠡᠪᠡ᠃ A4 ᠬᠡᠪᠯᠡᠭᠦᠷ ᠡᠴᠡ ᠭᠠᠷᠭᠠᠨ᠎ᠠ:</translation>
        </message>
        <message>
            <source>Here is what the department's records show:</source>
            <translation type="unfinished">ᠰᠠᠯᠪᠤᠷ ᠤᠨ ᠲᠡᠮᠳᠡᠭᠯᠡᠯ ᠳᠦ ᠢᠶᠢᠮᠤ ᠪᠠᠶᠢᠨ᠎ᠠ:</translation>
        </message>
    </context>
    <context>
        <name>Appointment</name>
        <message>
            <source>Mon</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠨᠢᠭᠡᠨ</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠬᠣᠶᠠᠷ</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠭᠤᠷᠪᠠᠨ</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠳᠥᠷᠪᠡᠨ</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠲᠠᠪᠤᠨ</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠵᠢᠷᠭᠤᠭᠠᠨ</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation type="unfinished">ᠭᠠᠷᠠᠭ ᠤᠨ ᠡᠳᠦᠷ</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation type="unfinished">ᠴᠣᠩᠬᠤ ᠶᠢᠨ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠳᠦ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Choose a day, then a time. Book at least one day ahead; one booking per person per day. Bring your ID card.</source>
            <translation type="unfinished">ᠡᠬᠯᠡᠨ ᠡᠳᠦᠷ᠂ ᠳᠠᠷᠠᠭᠠᠨ᠎ᠠ ᠴᠠᠭ ᠢ ᠰᠣᠩᠭᠤᠭᠠᠷᠠᠢ᠃ ᠳᠣᠷ᠎ᠠ ᠬᠠᠮᠤᠭᠤᠭᠠᠷ ᠨᠢᠭᠡᠨ ᠡᠳᠦᠷ ᠦᠨ ᠤᠷᠢᠳᠠ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠤᠨ᠎ᠠ᠂ ᠨᠢᠭᠡᠨ ᠬᠦᠮᠦᠨ ᠨᠢᠭᠡᠨ ᠡᠳᠦᠷ ᠨᠢᠭᠡᠨ ᠤᠳᠠᠭ᠎ᠠ᠃ ᠪᠢᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠪᠡᠨ ᠠᠪᠴᠤ ᠢᠷᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Appointment at: {0}</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠤ ᠰᠠᠯᠪᠤᠷ: {0}</translation>
        </message>
        <message>
            <source>No times can be booked at the moment. Please call the hotline.</source>
            <translation type="unfinished">ᠣᠳᠣ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠴᠤ ᠪᠣᠯᠬᠤ ᠴᠠᠭ ᠦᠭᠡᠢ᠃ ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠤᠲᠠᠰᠤ ᠪᠠᠷ ᠬᠣᠯᠪᠣᠭᠳᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>{0} places left</source>
            <translation type="unfinished">{0} ᠣᠷᠤᠨ ᠦᠯᠳᠡᠪᠡ</translation>
        </message>
        <message>
            <source>Fully booked</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠳᠦᠭᠦᠷᠴᠡᠢ</translation>
        </message>
        <message>
            <source>Appointment booked</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠤᠭᠳᠠᠪᠠ</translation>
        </message>
        <message>
            <source>Appointment number</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠤ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Show this code at the hall</source>
            <translation type="unfinished">ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠦᠵᠡᠭᠦᠯ</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation type="unfinished">ᠪᠤᠰᠤ ᠬᠡᠷᠡᠭ ᠪᠦᠲᠦᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation type="unfinished">ᠲᠡᠭᠦᠰᠬᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Your appointment is booked.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠤᠭᠳᠠᠪᠠ᠃</translation>
        </message>
        <message>
            <source>Time: {0}</source>
            <translation type="unfinished">ᠴᠠᠭ: {0}</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation type="unfinished">ᠰᠠᠯᠪᠤᠷ: {0}</translation>
        </message>
        <message>
            <source>Name: {0}</source>
            <translation type="unfinished">ᠨᠡᠷ᠎ᠡ: {0}</translation>
        </message>
        <message>
            <source>ID number: {0}</source>
            <translation type="unfinished">ᠪᠢᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ: {0}</translation>
        </message>
        <message>
            <source>Arrive on time and exchange the slip for a priority number at the hall.</source>
            <translation type="unfinished">ᠴᠠᠭ ᠲᠤ ᠪᠠᠨ ᠢᠷᠡᠭᠡᠷᠡᠢ᠂ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠤ ᠲᠠᠰᠤᠯᠪᠤᠷ ᠢᠶᠠᠷ ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠤᠷᠢᠳᠠ ᠠᠪᠬᠤ ᠳᠤᠭᠠᠷ ᠰᠣᠯᠢᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Cannot come? Cancel at this kiosk at least 2 hours before: identify, then "Cancel an appointment".</source>
            <translation type="unfinished">ᠢᠷᠡᠰᠢ ᠦᠭᠡᠢ ᠪᠣᠯ 2 ᠴᠠᠭ ᠤᠨ ᠤᠷᠢᠳᠠ ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠳᠦ ᠪᠣᠯᠢᠴᠠᠭᠠᠷᠠᠢ: ᠪᠢᠶ᠎ᠡ ᠪᠡᠨ ᠪᠠᠲᠠᠯᠠᠭᠠᠳ "ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ ᠪᠣᠯᠢᠴᠠᠬᠤ" ᠶᠢ ᠳᠠᠷᠠᠨ᠎ᠠ᠃</translation>
        </message>
    </context>
    <context>
        <name>Attract</name>
        <message>
            <source>24-hour self-service</source>
            <translation type="unfinished">24 ᠴᠠᠭ ᠤᠨ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ</translation>
        </message>
        <message>
            <source>Tap here to start</source>
            <translation type="unfinished">ᠡᠨᠳᠡ ᠳᠠᠷᠤᠭᠠᠳ ᠡᠬᠢᠯᠡᠭᠡᠷᠡᠢ</translation>
        </message>
        <message>
            <source>or place your ID card or social security card on the reader</source>
            <translation type="unfinished">ᠡᠰᠡᠪᠡᠯ ᠬᠠᠷᠲ ᠢᠶᠠᠨ ᠤᠩᠰᠢᠭᠴᠢ ᠳᠡᠭᠡᠷ᠎ᠡ ᠲᠠᠯᠪᠢᠭᠠᠷᠠᠢ</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation type="unfinished">ᠬᠡᠷᠡᠭ ᠢᠶᠡᠨ ᠪᠦᠲᠦᠭᠡᠵᠦ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ ᠶᠤ? ᠪᠢᠳᠠᠨ ᠠ ᠬᠡᠯᠡᠭᠡᠷᠡᠢ</translation>
        </message>
        <message>
            <source>Check progress</source>
            <translation type="unfinished">ᠶᠠᠪᠤᠭᠳᠠᠯ ᠢ ᠠᠰᠠᠭᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Elderly mode: larger text</source>
            <translation type="unfinished">ᠥᠪᠥᠭᠡᠳ ᠦᠨ ᠭᠣᠷᠢᠮ: ᠲᠣᠮ ᠦᠰᠡᠭ</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation type="unfinished">ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠤᠲᠠᠰᠤ: {0}</translation>
        </message>
        <message>
            <source>Queue numbers are issued while the hall is open.</source>
            <translation type="unfinished">ᠲᠠᠩᠬᠢᠮ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠴᠠᠭ ᠲᠤ ᠳᠤᠭᠠᠷ ᠥᠭᠦᠨ᠎ᠡ᠃</translation>
        </message>
    </context>
    <context>
        <name>Bookings</name>
        <message>
            <source>Cancel an appointment</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ ᠪᠣᠯᠢᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Cancel this appointment</source>
            <translation type="unfinished">ᠡᠨᠡ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ ᠪᠣᠯᠢᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠳᠦ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ 2 ᠴᠠᠭ ᠤᠨ ᠤᠷᠢᠳᠠ ᠡᠨᠳᠡ ᠪᠣᠯᠢᠴᠠᠵᠤ ᠪᠣᠯᠣᠨ᠎ᠠ᠃ ᠪᠤᠰᠤᠳ ᠢ {0} ᠳᠦ ᠤᠲᠠᠰᠤᠳᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Which appointment do you want to cancel?</source>
            <translation type="unfinished">ᠲᠠ ᠠᠯᠢ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ ᠪᠣᠯᠢᠴᠠᠬᠤ ᠪᠤᠢ?</translation>
        </message>
        <message>
            <source>You have no appointments booked at this kiosk.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠳᠦ ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠳᠦ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Appointment cancelled</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠪᠣᠯᠢᠴᠠᠭᠳᠠᠪᠠ</translation>
        </message>
        <message>
            <source>Your appointment is cancelled. The hall has been told.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠪᠣᠯᠢᠴᠠᠭᠳᠠᠪᠠ᠃ ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠮᠡᠳᠡᠭᠳᠡᠪᠡ᠃</translation>
        </message>
    </context>
    <context>
        <name>Capture</name>
        <message>
            <source>Photograph your materials</source>
            <translation type="unfinished">ᠮᠠᠲᠡᠷᠢᠠᠯ ᠢᠶᠠᠨ ᠵᠢᠷᠤᠭᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Retake the last page</source>
            <translation type="unfinished">ᠰᠦᠦᠯᠴᠢ ᠬᠤᠤᠳᠠᠰᠤ ᠶᠢ ᠳᠠᠬᠢᠨ ᠵᠢᠷᠤᠭᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Bring it to the window</source>
            <translation type="unfinished">ᠴᠣᠩᠬᠤ ᠳᠦ ᠠᠪᠴᠤ ᠣᠴᠢᠬᠤ</translation>
        </message>
        <message>
            <source>Next material ▶</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠬᠢ ᠮᠠᠲᠡᠷᠢᠠᠯ ▶</translation>
        </message>
        <message>
            <source>Send the application</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠢᠯᠡᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Taking the photo, please do not move the material…</source>
            <translation type="unfinished">ᠵᠢᠷᠤᠭ ᠠᠪᠴᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠮᠠᠲᠡᠷᠢᠠᠯ ᠢ ᠪᠦ ᠬᠥᠳᠡᠯᠭᠡᠭᠡᠷᠡᠢ…</translation>
        </message>
        <message>
            <source>Material found: hold still and take the photo.</source>
            <translation type="unfinished">ᠮᠠᠲᠡᠷᠢᠠᠯ ᠣᠯᠳᠳᠠᠪᠠ: ᠪᠦ ᠬᠥᠳᠡᠯᠦᠭᠡᠳ ᠵᠢᠷᠤᠭ ᠠᠪᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Lay the material flat in the lit area, all four corners in view.</source>
            <translation type="unfinished">ᠮᠠᠲᠡᠷᠢᠠᠯ ᠢ ᠭᠡᠷᠡᠯ ᠲᠡᠢ ᠭᠠᠵᠠᠷ ᠠ ᠲᠡᠭᠰᠢ ᠲᠠᠯᠪᠢᠵᠤ ᠳᠥᠷᠪᠡᠨ ᠥᠨᠴᠥᠭ ᠢ ᠪᠦᠭᠦᠳᠡ ᠶᠢ ᠦᠵᠡᠭᠦᠯᠦᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Material {0} of {1}: {2}</source>
            <translation type="unfinished">{1} ᠡᠴᠡ {0} ᠮᠠᠲᠡᠷᠢᠠᠯ: {2}</translation>
        </message>
        <message>
            <source>Pages taken of this material: {0}</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠠᠲᠡᠷᠢᠠᠯ ᠤᠨ ᠵᠢᠷᠤᠭᠯᠠᠭᠰᠠᠨ ᠬᠤᠤᠳᠠᠰᠤ: {0}</translation>
        </message>
        <message>
            <source>Lay the first page flat under the camera, then tap “Take photo”.</source>
            <translation type="unfinished">ᠲᠡᠷᠢᠭᠦᠨ ᠬᠤᠤᠳᠠᠰᠤ ᠶᠢ ᠬᠠᠮᠡᠷ ᠤᠨ ᠳᠣᠣᠷᠠ ᠲᠡᠭᠰᠢ ᠲᠠᠯᠪᠢᠭᠠᠳ ᠵᠢᠷᠤᠭ ᠠᠪᠬᠤ ᠶᠢ ᠳᠠᠷᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Take photo</source>
            <translation type="unfinished">ᠵᠢᠷᠤᠭ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Add a page</source>
            <translation type="unfinished">ᠳᠠᠬᠢᠨ ᠨᠢᠭᠡ ᠬᠤᠤᠳᠠᠰᠤ ᠵᠢᠷᠤᠭᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Starting the camera…</source>
            <translation type="unfinished">ᠬᠠᠮᠡᠷ ᠢ ᠠᠰᠠᠭᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ…</translation>
        </message>
        <message>
            <source>Photographed {0} · to the window {1} · to do {2}</source>
            <translation type="unfinished">ᠵᠢᠷᠤᠭᠯᠠᠭᠰᠠᠨ {0} · ᠴᠣᠩᠬᠤ ᠳᠦ {1} · ᠦᠯᠡᠭᠰᠡᠨ {2}</translation>
        </message>
    </context>
    <context>
        <name>Choose</name>
        <message>
            <source>What would you like to do?</source>
            <translation type="unfinished">ᠲᠠ ᠶᠠᠭᠤ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠪᠤᠢ?</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation type="unfinished">ᠴᠣᠩᠬᠤ ᠶᠢᠨ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠳᠦ ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>◀ Back to the services</source>
            <translation type="unfinished">◀ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠵᠠᠭᠰᠠᠭᠠᠯᠲᠠ ᠳᠦ ᠪᠤᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Cancel an appointment</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠢ ᠪᠣᠯᠢᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation type="unfinished">ᠬᠡᠷᠡᠭ ᠢᠶᠡᠨ ᠪᠦᠲᠦᠭᠡᠵᠦ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ ᠶᠤ? ᠪᠢᠳᠠᠨ ᠠ ᠬᠡᠯᠡᠭᠡᠷᠡᠢ</translation>
        </message>
        <message>
            <source>One-thing bundles</source>
            <translation type="unfinished">ᠨᠢᠭᠡᠨ ᠬᠡᠷᠡᠭ ᠢ ᠨᠢᠭᠡ ᠤᠳᠠᠭ᠎ᠠ ᠪᠦᠲᠦᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Appointments and more</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ᠂ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ᠂ ᠰᠠᠨᠠᠯ</translation>
        </message>
        <message>
            <source>Hello, {0}. What would you like to do?</source>
            <translation type="unfinished">{0}᠂ ᠰᠠᠶᠢᠨ ᠪᠠᠶᠢᠨ᠎ᠠ ᠤᠤ? ᠲᠠ ᠶᠠᠭᠤ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠪᠤᠢ?</translation>
        </message>
        <message>
            <source>Hello. What would you like to do?</source>
            <translation type="unfinished">ᠰᠠᠶᠢᠨ ᠪᠠᠶᠢᠨ᠎ᠠ ᠤᠤ? ᠲᠠ ᠶᠠᠭᠤ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠪᠤᠢ?</translation>
        </message>
        <message>
            <source>The connection to the service center is down. Services marked as needing it cannot be done now; everything else is saved here and sent later.</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠲᠥᠪ ᠲᠡᠢ ᠬᠣᠯᠪᠤᠭᠳᠠᠯ ᠲᠠᠰᠤᠷᠠᠪᠠ᠃ ᠰᠦᠯᠵᠢᠶᠡ ᠬᠡᠷᠡᠭᠯᠡᠬᠦ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠢ ᠣᠳᠣ ᠪᠦᠲᠦᠭᠡᠵᠦ ᠴᠢᠳᠠᠬᠤ ᠦᠭᠡᠢ᠂ ᠪᠤᠰᠤ ᠪᠦᠭᠦᠳᠡ ᠡᠨᠳᠡ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠳᠠᠵᠤ ᠳᠠᠷᠠᠭᠠ ᠨᠢ ᠢᠯᠡᠭᠡᠭᠳᠡᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>Book an appointment: which department?</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠠᠪᠬᠤ: ᠠᠯᠢ ᠰᠠᠯᠪᠤᠷ ᠪᠤᠢ?</translation>
        </message>
    </context>
    <context>
        <name>Devices</name>
        <message>
            <source>The printer is not working right now.</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠭᠦᠷ ᠣᠳᠣ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>The printer has run out of paper.</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠭᠦᠷ ᠦᠨ ᠴᠠᠭᠠᠰᠤ ᠳᠤᠤᠰᠤᠪᠠ᠃</translation>
        </message>
        <message>
            <source>The printer cover is open.</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠭᠦᠷ ᠦᠨ ᠲᠠᠭᠯᠠ ᠨᠡᠭᠡᠭᠳᠡᠵᠢ ᠪᠠᠶᠢᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Your application is saved. Please photograph the QR code or write down the reference number {0}. You can collect a printed receipt at the service window with this number.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠳᠠᠪᠠ᠃ QR ᠬᠣᠳ ᠢ ᠵᠢᠷᠤᠭᠯᠠᠭᠠᠳ ᠡᠰᠡᠪᠡᠯ {0} ᠳᠤᠭᠠᠷ ᠢ ᠪᠢᠴᠢᠵᠦ ᠠᠪᠤᠭᠠᠷᠠᠢ᠃ ᠡᠨᠡ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠷ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠴᠣᠩᠬᠤ ᠠᠴᠠ ᠬᠡᠪᠯᠡᠭᠰᠡᠨ ᠲᠠᠰᠤᠯᠪᠤᠷ ᠠᠪᠴᠤ ᠪᠣᠯᠣᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>The card reader is not working right now. Please type your ID number instead.</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ ᠣᠳᠣ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠪᠢᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ᠃</translation>
        </message>
        <message>
            <source>The ticket printer is not working right now. Your number is shown on the screen: please photograph it or write it down.</source>
            <translation type="unfinished">ᠳᠤᠭᠠᠷ ᠬᠡᠪᠯᠡᠭᠦᠷ ᠣᠳᠣ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠲᠠᠨ ᠤ ᠳᠤᠭᠠᠷ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠳᠦ ᠪᠠᠶᠢᠨ᠎ᠠ: ᠵᠢᠷᠤᠭᠯᠠᠭᠠᠳ ᠡᠰᠡᠪᠡᠯ ᠪᠢᠴᠢᠵᠦ ᠠᠪᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>A device is not working right now.</source>
            <translation type="unfinished">ᠨᠢᠭᠡᠨ ᠲᠥᠬᠥᠭᠡᠷᠡᠮᠵᠢ ᠣᠳᠣ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>The camera is not working right now. The pages already taken are kept; please bring the other materials to the service window.</source>
            <translation type="unfinished">ᠬᠠᠮᠡᠷ ᠣᠳᠣ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠵᠢᠷᠤᠭᠯᠠᠭᠰᠠᠨ ᠬᠤᠤᠳᠠᠰᠤ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠳᠠᠪᠠ; ᠪᠤᠰᠤ ᠮᠠᠲᠡᠷᠢᠠᠯ ᠢ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠴᠣᠩᠬᠤ ᠳᠦ ᠠᠪᠴᠤ ᠢᠷᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Please photograph the QR code or write down the appointment number {0}: it is your slip.</source>
            <translation type="unfinished">QR ᠬᠣᠳ ᠢ ᠵᠢᠷᠤᠭᠯᠠᠭᠠᠳ ᠡᠰᠡᠪᠡᠯ {0} ᠪᠣᠯᠵᠢᠶᠠᠨ ᠤ ᠳᠤᠭᠠᠷ ᠢ ᠪᠢᠴᠢᠵᠦ ᠠᠪᠤᠭᠠᠷᠠᠢ: ᠡᠨᠡ ᠲᠠᠨ ᠤ ᠲᠠᠰᠤᠯᠪᠤᠷ ᠮᠥᠨ᠃</translation>
        </message>
        <message>
            <source>The notice stays on the screen. You can also get a printed copy at the service window.</source>
            <translation type="unfinished">ᠮᠡᠳᠡᠭᠳᠡᠯ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠳᠦ ᠦᠯᠳᠡᠨ᠎ᠡ᠃ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠴᠣᠩᠬᠤ ᠠᠴᠠ ᠬᠡᠪᠯᠡᠭᠰᠡᠨ ᠢ ᠠᠪᠴᠤ ᠪᠣᠯᠣᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Printing, please wait…</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠵᠦ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠬᠦᠯᠢᠶᠡᠭᠡᠷᠡᠢ…</translation>
        </message>
        <message>
            <source>Printed. Please take it from the slot below the screen.</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠭᠳᠡᠪᠡ᠃ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠦ ᠳᠣᠣᠷᠠᠬᠢ ᠠᠮᠠᠰᠠᠷ ᠠᠴᠠ ᠠᠪᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>The printer could not print.</source>
            <translation type="unfinished">ᠬᠡᠪᠯᠡᠭᠦᠷ ᠬᠡᠪᠯᠡᠵᠦ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>The card could not be read. Place it flat on the reader again, or type your ID number.</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠢ ᠤᠩᠰᠢᠵᠤ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠤᠩᠰᠢᠭᠴᠢ ᠳᠡᠭᠡᠷ᠎ᠡ ᠳᠠᠬᠢᠨ ᠲᠠᠯᠪᠢᠭᠠᠳ ᠡᠰᠡᠪᠡᠯ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ᠃</translation>
        </message>
    </context>
    <context>
        <name>Farewell</name>
        <message>
            <source>Please take your card</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠢᠶᠠᠨ ᠠᠪᠤᠭᠠᠷᠠᠢ</translation>
        </message>
        <message>
            <source>Your ID card is still on the reader below the screen.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠦ ᠳᠣᠣᠷᠠᠬᠢ ᠤᠩᠰᠢᠭᠴᠢ ᠳᠡᠭᠡᠷ᠎ᠡ ᠪᠠᠶᠢᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Do not forget your receipt and your belongings.</source>
            <translation type="unfinished">ᠲᠠᠰᠤᠯᠪᠤᠷ ᠪᠣᠯᠤᠨ ᠡᠳ ᠪᠠᠷᠠᠭ᠎ᠠ ᠪᠠᠨ ᠪᠦ ᠮᠠᠷᠲᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Thank you, goodbye</source>
            <translation type="unfinished">ᠪᠠᠶᠠᠷᠯᠠᠯᠠᠠ᠂ ᠪᠠᠶᠠᠷᠲᠠᠢ</translation>
        </message>
        <message>
            <source>Your details are no longer on the screen. What you sent is kept safely on this kiosk until the service center has received it.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠮᠡᠳᠡᠡᠯ᠎ᠡ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠡᠴᠡ ᠠᠷᠢᠯᠠᠪᠠ᠃ ᠲᠠᠨ ᠤ ᠢᠯᠡᠭᠡᠭᠰᠡᠨ ᠢ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠲᠥᠪ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠲᠠᠯ᠎ᠠ ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠳᠦ ᠠᠶᠤᠯᠭᠤᠢ ᠬᠠᠳᠠᠭᠠᠯᠠᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation type="unfinished">ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠤᠲᠠᠰᠤ: {0}</translation>
        </message>
        <message>
            <source>Under maintenance</source>
            <translation type="unfinished">ᠵᠠᠰᠠᠪᠤᠷ ᠲᠤ ᠪᠠᠶᠢᠨ᠎ᠠ</translation>
        </message>
        <message>
            <source>This kiosk is being serviced. Please use another kiosk or call {0}.</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠢ ᠵᠠᠰᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠃ ᠪᠤᠰᠤ ᠮᠠᠰᠢᠨ ᠬᠡᠷᠡᠭᠯᠡᠵᠦ ᠡᠰᠡᠪᠡᠯ {0} ᠳᠦ ᠤᠲᠠᠰᠤᠳᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠲᠦᠷ ᠵᠣᠭᠰᠣᠪᠠ</translation>
        </message>
        <message>
            <source>This kiosk's storage is nearly full, so it cannot take applications right now. Please use another kiosk.</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠤ ᠰᠠᠩ ᠳᠦᠭᠦᠷᠴᠦ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠣᠳᠣ ᠦᠷᠭᠦᠳᠦᠯ ᠠᠪᠴᠤ ᠴᠢᠳᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠪᠤᠰᠤ ᠮᠠᠰᠢᠨ ᠬᠡᠷᠡᠭᠯᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>This kiosk cannot take applications right now. Please use another kiosk.</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠣᠳᠣ ᠦᠷᠭᠦᠳᠦᠯ ᠠᠪᠴᠤ ᠴᠢᠳᠠᠬᠤ ᠦᠭᠡᠢ᠃ ᠪᠤᠰᠤ ᠮᠠᠰᠢᠨ ᠬᠡᠷᠡᠭᠯᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
    </context>
    <context>
        <name>Form</name>
        <message>
            <source>From the ID number you typed</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠣᠷᠤᠭᠤᠯᠰᠠᠨ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠠᠴᠠ</translation>
        </message>
        <message>
            <source>From your card</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠠᠴᠠ</translation>
        </message>
        <message>
            <source>Application form: {0}</source>
            <translation type="unfinished">ᠬᠠᠭᠤᠳᠠᠰᠤ: {0}</translation>
        </message>
        <message>
            <source>Check and continue</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠭᠠᠳ ᠤᠷᠭᠤᠯᠵᠢ᠎ᠠ</translation>
        </message>
        <message>
            <source>◀ Previous field</source>
            <translation type="unfinished">◀ ᠥᠮᠨᠡᠬᠢ ᠽᠦᠢᠯ</translation>
        </message>
        <message>
            <source>Next field ▶</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠬᠢ ᠽᠦᠢᠯ ▶</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field above to fill it in.</source>
            <translation type="unfinished">* ᠲᠡᠮᠳᠡᠭᠲᠡᠢ ᠶᠢ ᠪᠥᠭᠡᠯᠡᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field on the left.</source>
            <translation type="unfinished">* ᠲᠡᠮᠳᠡᠭᠲᠡᠢ ᠶᠢ ᠪᠥᠭᠡᠯᠡᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>This comes from your identity and cannot be changed here. To change it, go back.</source>
            <translation type="unfinished">ᠡᠨᠡ ᠲᠠᠨ ᠤ ᠪᠢᠶ᠎ᠡ ᠶᠢᠨ ᠮᠡᠳᠡᠡᠯ᠎ᠡ ᠡᠴᠡ ᠢᠷᠡᠭᠰᠡᠨ᠂ ᠡᠨᠳᠡ ᠥᠥᠷᠴᠢᠯᠡᠵᠦ ᠪᠣᠯᠬᠤ ᠦᠭᠡᠢ᠃ ᠥᠥᠷᠴᠢᠯᠡᠬᠦ ᠪᠣᠯ ᠪᠤᠴᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
    </context>
    <context>
        <name>Handwriting</name>
        <message>
            <source>Write again</source>
            <translation type="unfinished">ᠳᠠᠬᠢᠨ ᠪᠢᠴᠢᠬᠦ</translation>
        </message>
        <message>
            <source>Pinyin keys</source>
            <translation type="unfinished">pinyin ᠲᠣᠪᠴᠢᠯᠠᠭᠤᠷ</translation>
        </message>
    </context>
    <context>
        <name>Identify</name>
        <message>
            <source>Identify yourself</source>
            <translation type="unfinished">ᠪᠢᠶ᠎ᠡ ᠪᠡᠨ ᠪᠠᠲᠠᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Please identify yourself: tap your card, or type your ID number</source>
            <translation type="unfinished">ᠪᠢᠶ᠎ᠡ ᠪᠡᠨ ᠪᠠᠲᠠᠯᠠᠭᠠᠷᠠᠢ: ᠬᠠᠷᠲ ᠢᠶᠠᠨ ᠬᠦᠷᠭᠡᠭᠡᠳ ᠡᠰᠡᠪᠡᠯ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ</translation>
        </message>
        <message>
            <source>Please type your ID number: the card reader cannot be used</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ: ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ</translation>
        </message>
        <message>
            <source>Tap your card</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠢᠶᠠᠨ ᠬᠦᠷᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Place your resident ID card flat on the reader below the screen and leave it there until your name appears. A social security card works too.</source>
            <translation type="unfinished">ᠦᠨᠡᠮᠯᠡᠬᠦ ᠪᠡᠨ ᠳᠣᠣᠷᠠᠬᠢ ᠤᠩᠰᠢᠭᠴᠢ ᠳᠡᠭᠡᠷ᠎ᠡ ᠲᠠᠯᠪᠢᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Or type your 18-character ID number</source>
            <translation type="unfinished">ᠡᠰᠡᠪᠡᠯ 18 ᠣᠷᠤᠨ ᠲᠤ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ</translation>
        </message>
        <message>
            <source>Type your 18-character ID number</source>
            <translation type="unfinished">18 ᠣᠷᠤᠨ ᠲᠤ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ</translation>
        </message>
        <message>
            <source>Confirm ID number</source>
            <translation type="unfinished">ᠦᠨᠡᠮᠯᠡᠬᠦ ᠶᠢᠨ ᠳᠤᠭᠠᠷ ᠢ ᠪᠠᠲᠠᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Or show your phone's sign-in code to the scanner.</source>
            <translation type="unfinished">ᠡᠰᠡᠪᠡᠯ ᠭᠠᠷ ᠤᠲᠠᠰᠤᠨ ᠤ ᠨᠡᠪᠲᠡᠷᠡᠬᠦ ᠬᠣᠳ ᠢ ᠰᠢᠬᠠᠨᠢᠷ ᠲᠤ ᠦᠵᠡᠭᠦᠯᠦᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>The card reader is ready.</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ ᠪᠡᠯᠡᠳᠬᠡᠭᠳᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>Card reader: off</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ: ᠠᠵᠢᠯᠯᠠᠬᠤ ᠦᠭᠡᠢ</translation>
        </message>
        <message>
            <source>{0} of 18 characters typed</source>
            <translation type="unfinished">{0}/18</translation>
        </message>
    </context>
    <context>
        <name>Idle</name>
        <message>
            <source>Are you still there?</source>
            <translation type="unfinished">ᠲᠠ ᠡᠨᠳᠡ ᠪᠠᠶᠢᠨ᠎ᠠ ᠤᠤ?</translation>
        </message>
        <message>
            <source>For your privacy, everything you entered will be cleared when the time runs out.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠨᠤᠤᠴᠠ ᠶᠢ ᠬᠠᠮᠠᠭᠠᠯᠠᠬᠤ ᠶᠢᠨ ᠲᠤᠯᠠ᠂ ᠴᠠᠭ ᠳᠤᠤᠰᠬᠤ ᠳᠤ ᠣᠷᠤᠭᠤᠯᠰᠠᠨ ᠪᠦᠭᠦᠳᠡ ᠠᠷᠢᠯᠭᠠᠭᠳᠠᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation type="unfinished">ᠤᠷᠭᠤᠯᠵᠢ᠎ᠠ ᠪᠦᠲᠦᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>{0} s</source>
            <translation type="unfinished">{0} ᠰᠡᠭᠦᠨᠳ</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <source>Clear</source>
            <translation type="unfinished">ᠠᠷᠢᠯᠭᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished">ᠤᠰᠲᠠᠭᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Write</source>
            <translation type="unfinished">ᠭᠠᠷ ᠢᠶᠠᠷ ᠪᠢᠴᠢᠬᠦ</translation>
        </message>
        <message>
            <source>Space</source>
            <translation type="unfinished">ᠵᠠᠶ</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message>
            <source>Kiosk</source>
            <translation type="unfinished">ᠮᠠᠰᠢᠨ</translation>
        </message>
        <message>
            <source>The kiosk's storage cannot be read.</source>
            <translation type="unfinished">ᠮᠠᠰᠢᠨ ᠤ ᠰᠠᠩ ᠢ ᠤᠩᠰᠢᠵᠤ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation type="unfinished">ᠱᠢᠨᠵᠢᠯᠡᠵᠦ ᠪᠠᠶᠢᠨ᠎ᠠ…</translation>
        </message>
        <message>
            <source>Self-test passed.</source>
            <translation type="unfinished">ᠥᠪᠡᠷᠢᠶᠡᠨ ᠱᠢᠨᠵᠢᠯᠡᠯ ᠳᠠᠪᠠᠪᠠ᠃</translation>
        </message>
        <message>
            <source>Self-test failed: {0}</source>
            <translation type="unfinished">ᠥᠪᠡᠷᠢᠶᠡᠨ ᠱᠢᠨᠵᠢᠯᠡᠯ ᠳᠠᠪᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ: {0}</translation>
        </message>
        <message>
            <source>Could not save: the kiosk's storage failed.</source>
            <translation type="unfinished">ᠬᠠᠳᠠᠭᠠᠯᠠᠵᠤ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ: ᠮᠠᠰᠢᠨ ᠤ ᠰᠠᠩ ᠡᠪᠳᠡᠷᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>Counter reset ({0} printed on the old roll).</source>
            <translation type="unfinished">ᠲᠣᠭᠣᠯᠤᠭᠤᠷ ᠲᠡᠭᠯᠡᠷᠡᠭᠳᠡᠪᠡ (ᠬᠠᠭᠤᠴᠢᠨ ᠥᠷᠡᠮᠡᠯ ᠳᠦ {0} ᠬᠡᠪᠯᠡᠪᠡ)᠃</translation>
        </message>
        <message>
            <source>Answer every item, with a note for each problem, and type who inspected.</source>
            <translation type="unfinished">ᠽᠦᠢᠯ ᠪᠦᠷᠢ ᠶᠢ ᠪᠥᠭᠡᠯᠡᠵᠦ᠂ ᠠᠰᠠᠭᠤᠳᠠᠯ ᠪᠦᠷᠢ ᠳᠦ ᠲᠠᠶᠢᠯᠪᠤᠷᠢ ᠪᠢᠴᠢᠵᠦ᠂ ᠱᠠᠯᠭᠠᠭᠴᠢ ᠶᠢᠨ ᠨᠡᠷ᠎ᠡ ᠶᠢ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ᠃</translation>
        </message>
        <message>
            <source>Inspection saved. It is sent to the hall as soon as the link allows.</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠯᠲᠠ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠳᠠᠪᠠ᠃ ᠬᠣᠯᠪᠤᠭᠳᠠᠯ ᠪᠣᠯᠬᠤ ᠳᠤ ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠢᠯᠡᠭᠡᠭᠳᠡᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>A card was read: the card reader works.</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠳᠠᠪᠠ: ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ ᠠᠵᠢᠯᠯᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>A card could not be read.</source>
            <translation type="unfinished">ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Check each item at the kiosk. A failed item needs a note of what you found.</source>
            <translation type="unfinished">ᠮᠠᠰᠢᠨ ᠤ ᠳᠡᠷᠭᠡᠳᠡ ᠽᠦᠢᠯ ᠪᠦᠷᠢ ᠶᠢ ᠱᠠᠯᠭᠠᠭᠠᠷᠠᠢ᠃ ᠠᠰᠠᠭᠤᠳᠠᠯ ᠲᠠᠢ ᠽᠦᠢᠯ ᠳᠦ ᠲᠠᠶᠢᠯᠪᠤᠷᠢ ᠪᠢᠴᠢᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>OK</source>
            <translation type="unfinished">ᠬᠡᠪᠢᠶᠢᠨ</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation type="unfinished">ᠠᠰᠠᠭᠤᠳᠠᠯ</translation>
        </message>
        <message>
            <source>Note</source>
            <translation type="unfinished">ᠲᠠᠶᠢᠯᠪᠤᠷᠢ</translation>
        </message>
        <message>
            <source>Type name</source>
            <translation type="unfinished">ᠨᠡᠷ᠎ᠡ ᠣᠷᠤᠭᠤᠯᠬᠤ</translation>
        </message>
        <message>
            <source>Send the inspection to the hall</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠯᠲᠠ ᠶᠢ ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠢᠯᠡᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Done</source>
            <translation type="unfinished">ᠪᠣᠯᠪᠠ</translation>
        </message>
        <message>
            <source>Inspected by: {0}</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠭᠴᠢ: {0}</translation>
        </message>
        <message>
            <source>Items still to answer (or to note): {0}</source>
            <translation type="unfinished">ᠪᠥᠭᠡᠯᠡᠭᠳᠡᠭᠦᠢ (ᠲᠠᠶᠢᠯᠪᠤᠷᠢ ᠦᠭᠡᠢ) ᠽᠦᠢᠯ: {0}</translation>
        </message>
        <message>
            <source>Type who inspected, then send.</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠭᠴᠢ ᠶᠢᠨ ᠨᠡᠷ᠎ᠡ ᠶᠢ ᠣᠷᠤᠭᠤᠯᠠᠭᠠᠳ ᠢᠯᠡᠭᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Ready to send.</source>
            <translation type="unfinished">ᠢᠯᠡᠭᠡᠬᠦ ᠳᠦ ᠪᠡᠯᠡᠳᠬᠡᠭᠳᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>Who inspected (name or staff number)</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠭᠴᠢ (ᠨᠡᠷ᠎ᠡ ᠡᠰᠡᠪᠡᠯ ᠠᠵᠢᠯᠲᠠᠨ ᠤ ᠳᠤᠭᠠᠷ)</translation>
        </message>
        <message>
            <source>Note for: {0}</source>
            <translation type="unfinished">ᠲᠠᠶᠢᠯᠪᠤᠷᠢ: {0}</translation>
        </message>
        <message>
            <source>Technician access</source>
            <translation type="unfinished">ᠵᠠᠰᠠᠪᠤᠷ ᠤᠨ ᠠᠵᠢᠯᠲᠠᠨ ᠨᠡᠪᠲᠡᠷᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Enter the maintenance PIN</source>
            <translation type="unfinished">ᠵᠠᠰᠠᠪᠤᠷ ᠤᠨ ᠨᠢᠭᠤᠴᠠ ᠳᠤᠭᠠᠷ ᠢ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ</translation>
        </message>
        <message>
            <source>For technicians only. Citizens: please tap Cancel to return to the start screen.</source>
            <translation type="unfinished">ᠵᠥᠪᠬᠡᠨ ᠵᠠᠰᠠᠪᠤᠷ ᠤᠨ ᠠᠵᠢᠯᠲᠠᠨ ᠳᠤ᠃ ᠢᠷᠭᠡᠳ "ᠪᠣᠯᠢᠴᠠᠬᠤ" ᠶᠢ ᠳᠠᠷᠤᠭᠠᠳ ᠡᠬᠢᠨ ᠳᠡᠯᠭᠡᠭᠴᠢᠨ ᠳᠦ ᠪᠤᠴᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished">ᠪᠣᠯᠢᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation type="unfinished">ᠪᠠᠲᠠᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Wrong PIN. {0} tries left before the lock.</source>
            <translation type="unfinished">ᠨᠢᠭᠤᠴᠠ ᠳᠤᠭᠠᠷ ᠪᠤᠷᠤᠭᠤ᠃ ᠲᠦᠭᠵᠢᠭᠳᠡᠬᠦ ᠶᠢᠨ ᠤᠷᠢᠳᠠ {0} ᠤᠳᠠᠭ᠎ᠠ ᠦᠯᠳᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>Too many wrong PINs. Try again in {0} min.</source>
            <translation type="unfinished">ᠪᠤᠷᠤᠭᠤ ᠳᠤᠭᠠᠷ ᠳᠡᠩᠳᠡᠭᠦᠦ ᠣᠯᠠᠨ᠃ {0} ᠮᠢᠨᠤᠲ ᠤᠨ ᠳᠠᠷᠠᠭ᠎ᠠ ᠳᠠᠬᠢᠨ ᠣᠷᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Receipt printer</source>
            <translation type="unfinished">ᠲᠠᠰᠤᠯᠪᠤᠷ ᠤᠨ ᠬᠡᠪᠯᠡᠭᠦᠷ</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation type="unfinished">ᠪᠢᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠬᠦ ᠤᠩᠰᠢᠭᠴᠢ</translation>
        </message>
        <message>
            <source>Social security card reader</source>
            <translation type="unfinished">ᠨᠢᠶᠢᠭᠡᠮ ᠦᠨ ᠳᠠᠭᠠᠳᠤᠭᠠᠯ ᠤᠨ ᠬᠠᠷᠲ ᠤᠩᠰᠢᠭᠴᠢ</translation>
        </message>
        <message>
            <source>Queue ticket dispenser</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ ᠥᠭᠦᠭᠴᠢ</translation>
        </message>
        <message>
            <source>QR code scanner</source>
            <translation type="unfinished">QR ᠬᠣᠳ ᠰᠢᠬᠠᠨᠢᠷ</translation>
        </message>
        <message>
            <source>Document camera</source>
            <translation type="unfinished">ᠪᠢᠴᠢᠭ ᠦᠨ ᠬᠠᠮᠡᠷ</translation>
        </message>
        <message>
            <source>A4 certificate printer</source>
            <translation type="unfinished">A4 ᠭᠡᠷᠴᠢᠯᠭᠡᠨ ᠦ ᠬᠡᠪᠯᠡᠭᠦᠷ</translation>
        </message>
        <message>
            <source>Accessibility keypad</source>
            <translation type="unfinished">ᠰᠠᠭᠠᠳ ᠦᠭᠡᠢ ᠲᠣᠪᠴᠢᠯᠠᠭᠤᠷ</translation>
        </message>
        <message>
            <source>No report yet</source>
            <translation type="unfinished">ᠮᠡᠳᠡᠭᠳᠡᠯ ᠦᠭᠡᠢ</translation>
        </message>
        <message>
            <source>Working</source>
            <translation type="unfinished">ᠠᠵᠢᠯᠯᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ</translation>
        </message>
        <message>
            <source>Needs attention</source>
            <translation type="unfinished">ᠠᠨᠠᠬᠠᠷᠠᠯ ᠬᠡᠷᠡᠭ ᠲᠡᠢ</translation>
        </message>
        <message>
            <source>Fault</source>
            <translation type="unfinished">ᠡᠪᠳᠡᠷᠡᠯ</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation type="unfinished">ᠬᠣᠯᠪᠤᠭᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ</translation>
        </message>
        <message>
            <source>Not installed</source>
            <translation type="unfinished">ᠰᠤᠤᠷᠢᠯᠠᠭᠤᠯᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ</translation>
        </message>
        <message>
            <source>Self-test</source>
            <translation type="unfinished">ᠥᠪᠡᠷᠢᠶᠡᠨ ᠱᠢᠨᠵᠢᠯᠡᠯ</translation>
        </message>
        <message>
            <source>Remove sample card</source>
            <translation type="unfinished">ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠠᠷᠲ ᠢ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Insert sample card</source>
            <translation type="unfinished">ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠠᠷᠲ ᠢ ᠲᠠᠯᠪᠢᠬᠤ</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation type="unfinished">ᠵᠠᠰᠠᠪᠤᠷ</translation>
        </message>
        <message>
            <source>Devices</source>
            <translation type="unfinished">ᠲᠥᠬᠥᠭᠡᠷᠡᠮᠵᠢ</translation>
        </message>
        <message>
            <source>Paper and tickets</source>
            <translation type="unfinished">ᠴᠠᠭᠠᠰᠤ ᠪᠣᠯᠤᠨ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Daily inspection</source>
            <translation type="unfinished">ᠡᠳᠦᠷ ᠪᠦᠷᠢ ᠶᠢᠨ ᠱᠠᠯᠭᠠᠯᠲᠠ</translation>
        </message>
        <message>
            <source>Leave maintenance</source>
            <translation type="unfinished">ᠵᠠᠰᠠᠪᠤᠷ ᠠᠴᠠ ᠭᠠᠷᠬᠤ</translation>
        </message>
        <message>
            <source>Receipts and notices printed since the paper was replaced</source>
            <translation type="unfinished">ᠴᠠᠭᠠᠰᠤ ᠰᠣᠯᠢᠰᠠᠨ ᠠᠴᠠ ᠬᠣᠶᠢᠰᠢ ᠬᠡᠪᠯᠡᠭᠰᠡᠨ ᠲᠠᠰᠤᠯᠪᠤᠷ᠂ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
        </message>
        <message>
            <source>Queue tickets printed since the ticket roll was replaced</source>
            <translation type="unfinished">ᠳᠤᠭᠠᠷ ᠤᠨ ᠥᠷᠡᠮᠡᠯ ᠰᠣᠯᠢᠰᠠᠨ ᠠᠴᠠ ᠬᠣᠶᠢᠰᠢ ᠥᠭᠦᠭᠰᠡᠨ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>New roll put in: reset the counter</source>
            <translation type="unfinished">ᠰᠢᠨ᠎ᠡ ᠥᠷᠡᠮᠡᠯ ᠲᠠᠯᠪᠢᠪᠠ: ᠲᠣᠭᠣᠯᠤᠭᠤᠷ ᠢ ᠲᠡᠭᠯᠡᠷᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Open faults:</source>
            <translation type="unfinished">ᠣᠳᠣᠬᠢ ᠡᠪᠳᠡᠷᠡᠯ:</translation>
        </message>
        <message>
            <source>No open faults.</source>
            <translation type="unfinished">ᠡᠪᠳᠡᠷᠡᠯ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Records waiting to be sent to the hall: {0}</source>
            <translation type="unfinished">ᠲᠠᠩᠬᠢᠮ ᠳᠦ ᠢᠯᠡᠭᠡᠬᠦ ᠶᠢ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠤᠢ ᠲᠡᠮᠳᠡᠭᠯᠡᠯ: {0}</translation>
        </message>
        <message>
            <source>Counting since {0}</source>
            <translation type="unfinished">{0} ᠠᠴᠠ ᠡᠬᠢᠯᠡᠨ ᠲᠣᠭᠣᠯᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ</translation>
        </message>
        <message>
            <source>Nothing printed since the counter started.</source>
            <translation type="unfinished">ᠲᠣᠭᠣᠯᠠᠵᠤ ᠡᠬᠢᠯᠡᠭᠰᠡᠨ ᠡᠴᠡ ᠬᠣᠶᠢᠰᠢ ᠶᠠᠭᠤ ᠪᠡᠷ ᠬᠡᠪᠯᠡᠭᠳᠡᠭᠰᠡᠨ ᠦᠭᠡᠢ᠃</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>One-time notice</source>
            <translation type="unfinished">ᠨᠢᠭᠡᠨ ᠤᠳᠠᠭᠠᠨ ᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
        </message>
        <message>
            <source>Print this notice</source>
            <translation type="unfinished">ᠡᠨᠡ ᠮᠡᠳᠡᠭᠳᠡᠯ ᠢ ᠬᠡᠪᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>I have read it: fill in the form</source>
            <translation type="unfinished">ᠤᠩᠰᠢᠪᠠ: ᠬᠠᠭᠤᠳᠠᠰᠤ ᠪᠥᠭᠡᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Materials to prepare:</source>
            <translation type="unfinished">ᠪᠡᠯᠡᠳᠬᠡᠬᠦ ᠮᠠᠲᠡᠷᠢᠠᠯ:</translation>
        </message>
        <message>
            <source>Who can apply:</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠥᠭᠴᠦ ᠪᠣᠯᠬᠤ ᠬᠦᠮᠦᠨ:</translation>
        </message>
        <message>
            <source>Time limit:</source>
            <translation type="unfinished">ᠴᠠᠭ ᠤᠨ ᠬᠢᠵᠠᠭᠠᠷ:</translation>
        </message>
        <message>
            <source>Fee:</source>
            <translation type="unfinished">ᠲᠥᠯᠪᠦᠷᠢ:</translation>
        </message>
        <message>
            <source>Result:</source>
            <translation type="unfinished">ᠦᠷ᠎ᠡ ᠳᠦᠩ:</translation>
        </message>
        <message>
            <source>Legal basis:</source>
            <translation type="unfinished">ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠦᠨᠳᠤᠰᠤᠨ:</translation>
        </message>
    </context>
    <context>
        <name>Online</name>
        <message>
            <source>Checking your phone code, please wait…</source>
            <translation type="unfinished">ᠭᠠᠷ ᠤᠲᠠᠰᠤᠨ ᠤ ᠬᠣᠳ ᠢ ᠱᠠᠯᠭᠠᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠬᠦᠯᠢᠶᠡᠭᠡᠷᠡᠢ…</translation>
        </message>
    </context>
    <context>
        <name>Pager</name>
        <message>
            <source>▲ Page up</source>
            <translation type="unfinished">▲ ᠥᠮᠨᠡᠬᠢ ᠬᠤᠤᠳᠠᠰᠤ</translation>
        </message>
        <message>
            <source>▼ Page down</source>
            <translation type="unfinished">▼ ᠳᠠᠷᠠᠭᠠᠬᠢ ᠬᠤᠤᠳᠠᠰᠤ</translation>
        </message>
    </context>
    <context>
        <name>Progress</name>
        <message>
            <source>Application progress</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠦᠨ ᠶᠠᠪᠤᠭᠳᠠᠯ</translation>
        </message>
        <message>
            <source>Hold the QR code of your receipt under the scanner, or type the reference number printed on the receipt.</source>
            <translation type="unfinished">ᠲᠠᠰᠤᠯᠪᠤᠷ ᠤᠨ QR ᠬᠣᠳ ᠢ ᠰᠢᠬᠠᠨᠢᠷ ᠤᠨ ᠳᠣᠣᠭᠤᠷ ᠪᠠᠷᠢᠵᠦ ᠡᠰᠡᠪᠡᠯ ᠲᠠᠰᠤᠯᠪᠤᠷ ᠳᠡᠭᠡᠷ᠎ᠡ ᠬᠢ ᠳᠤᠭᠠᠷ ᠢ ᠣᠷᠤᠭᠤᠯᠤᠨ᠎ᠠ ᠤᠤ᠃</translation>
        </message>
        <message>
            <source>Look it up</source>
            <translation type="unfinished">ᠠᠰᠠᠭᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation type="unfinished">ᠬᠦᠯᠢᠶᠡᠬᠦ ᠶᠢ ᠪᠠᠶᠢᠭᠤᠯᠬᠤ</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation type="unfinished">ᠲᠡᠭᠦᠰᠬᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Reference number: {0}</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠦᠨ ᠳᠤᠭᠠᠷ: {0}</translation>
        </message>
        <message>
            <source>Application {0}</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ {0}</translation>
        </message>
        <message>
            <source>Looking it up, please wait…</source>
            <translation type="unfinished">ᠠᠰᠠᠭᠤᠵᠤ ᠪᠠᠶᠢᠨ᠎ᠠ᠂ ᠬᠦᠯᠢᠶᠡᠭᠡᠷᠡᠢ…</translation>
        </message>
        <message>
            <source>You stopped waiting. You can look it up again.</source>
            <translation type="unfinished">ᠲᠠ ᠬᠦᠯᠢᠶᠡᠬᠦ ᠶᠢ ᠪᠠᠶᠢᠭᠤᠯᠪᠠ᠃ ᠳᠠᠬᠢᠨ ᠠᠰᠠᠭᠤᠵᠤ ᠪᠣᠯᠣᠨ᠎ᠠ᠃</translation>
        </message>
        <message>
            <source>Since {0}</source>
            <translation type="unfinished">{0} ᠠᠴᠠ</translation>
        </message>
        <message>
            <source>Note from the service center: {0}</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠲᠥᠪ ᠦᠨ ᠲᠠᠶᠢᠯᠪᠤᠷᠢ: {0}</translation>
        </message>
    </context>
    <context>
        <name>Rate</name>
        <message>
            <source>Rate this service</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠳᠦ ᠳᠦᠭᠨᠡᠯᠲᠡ ᠥᠭᠬᠦ</translation>
        </message>
        <message>
            <source>How satisfied are you with this service?</source>
            <translation type="unfinished">ᠡᠨᠡ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠳᠦ ᠲᠠ ᠬᠠᠨᠤᠮᠰᠢᠬᠤ ᠤᠤ?</translation>
        </message>
        <message>
            <source>What went wrong? Choose one or more:</source>
            <translation type="unfinished">ᠶᠠᠭᠤ ᠨᠢ ᠲᠠᠭᠠᠷᠠᠬᠦ ᠦᠭᠡᠢ ᠪᠠᠶᠢᠪᠠ? ᠨᠢᠭᠡᠨ ᠡᠰᠡᠪᠡᠯ ᠣᠯᠠᠨ ᠢ ᠰᠣᠩᠭᠤᠨ᠎ᠠ ᠤᠤ:</translation>
        </message>
        <message>
            <source>Skip</source>
            <translation type="unfinished">ᠠᠯᠭᠠᠰᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Send my rating</source>
            <translation type="unfinished">ᠳᠦᠭᠨᠡᠯᠲᠡ ᠪᠡᠨ ᠢᠯᠡᠭᠡᠬᠦ</translation>
        </message>
    </context>
    <context>
        <name>Report</name>
        <message>
            <source>Could not get it done?</source>
            <translation type="unfinished">ᠬᠡᠷᠡᠭ ᠢᠶᠡᠨ ᠪᠦᠲᠦᠭᠡᠵᠦ ᠴᠠᠳᠠᠬᠤ ᠦᠭᠡᠢ ᠶᠤ?</translation>
        </message>
        <message>
            <source>Tell us what kept you from getting it done. The hall will follow up.</source>
            <translation type="unfinished">ᠶᠠᠭᠤ ᠪᠠᠷ ᠪᠦᠲᠦᠭᠡᠵᠦ ᠴᠠᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ ᠪᠡᠨ ᠪᠢᠳᠠᠨ ᠠ ᠬᠡᠯᠡᠭᠡᠷᠡᠢ᠃ ᠲᠠᠩᠬᠢᠮ ᠤᠯᠠᠮ ᠱᠢᠢᠳᠪᠦᠷᠢᠯᠡᠨ᠎ᠡ᠃</translation>
        </message>
        <message>
            <source>Call-back phone</source>
            <translation type="unfinished">ᠬᠠᠷᠢᠭᠤ ᠤᠲᠠᠰᠤ</translation>
        </message>
        <message>
            <source>A few words</source>
            <translation type="unfinished">ᠲᠣᠪᠴᠢ ᠲᠠᠶᠢᠯᠪᠤᠷᠢ</translation>
        </message>
        <message>
            <source>Send</source>
            <translation type="unfinished">ᠢᠯᠡᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Phone (optional): {0}</source>
            <translation type="unfinished">ᠤᠲᠠᠰᠤ (ᠳᠤᠷᠠᠪᠠᠷ): {0}</translation>
        </message>
        <message>
            <source>Description (pinyin or English): {0}</source>
            <translation type="unfinished">ᠲᠠᠶᠢᠯᠪᠤᠷᠢ (pinyin ᠡᠰᠡᠪᠡᠯ ᠠᠩᠭᠯᠢ ᠬᠡᠯᠡ): {0}</translation>
        </message>
        <message>
            <source>Thank you</source>
            <translation type="unfinished">ᠪᠠᠶᠠᠷᠯᠠᠯᠠᠠ</translation>
        </message>
        <message>
            <source>Report number</source>
            <translation type="unfinished">ᠰᠠᠨᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation type="unfinished">ᠲᠡᠭᠦᠰᠬᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Thank you. Your report has been recorded.</source>
            <translation type="unfinished">ᠪᠠᠶᠠᠷᠯᠠᠯᠠᠠ᠃ ᠲᠠᠨ ᠤ ᠰᠠᠨᠠᠯ ᠲᠡᠮᠳᠡᠭᠯᠡᠭᠳᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>The service center will look into it. If you left a phone number, they will call you back. Help hotline: {0}</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠲᠥᠪ ᠱᠢᠨᠵᠢᠯᠡᠨ᠎ᠡ᠃ ᠤᠲᠠᠰᠤ ᠪᠠᠨ ᠦᠯᠡᠭᠡᠭᠰᠡᠨ ᠪᠣᠯ ᠲᠠᠨ ᠳᠦ ᠬᠠᠷᠢᠵᠤ ᠤᠲᠠᠰᠤᠳᠠᠨ᠎ᠠ᠃ ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠶᠢᠨ ᠤᠲᠠᠰᠤ: {0}</translation>
        </message>
    </context>
    <context>
        <name>Review</name>
        <message>
            <source>Check your application</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠢᠶᠡᠨ ᠱᠠᠯᠭᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Please check everything before sending.</source>
            <translation type="unfinished">ᠢᠯᠡᠭᠡᠬᠦ ᠶᠢᠨ ᠤᠷᠢᠳᠠ ᠪᠦᠭᠦᠳᠡ ᠶᠢ ᠱᠠᠯᠭᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
        <message>
            <source>Change something</source>
            <translation type="unfinished">ᠪᠤᠴᠠᠵᠤ ᠥᠥᠷᠴᠢᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Everything is right: send</source>
            <translation type="unfinished">ᠪᠦᠭᠦᠳᠡ ᠵᠥᠪ: ᠢᠯᠡᠭᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Everything is right: photograph the materials</source>
            <translation type="unfinished">ᠪᠦᠭᠦᠳᠡ ᠵᠥᠪ: ᠮᠠᠲᠡᠷᠢᠠᠯ ᠢ ᠵᠢᠷᠤᠭᠯᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Hide {0}</source>
            <translation type="unfinished">{0} ᠢ ᠨᠤᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Show {0}</source>
            <translation type="unfinished">{0} ᠢ ᠦᠵᠡᠭᠦᠯᠬᠦ</translation>
        </message>
    </context>
    <context>
        <name>Steps</name>
        <message>
            <source>ID</source>
            <translation type="unfinished">ᠦᠨᠡᠮᠯᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Service</source>
            <translation type="unfinished">ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation type="unfinished">ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
        </message>
        <message>
            <source>Form</source>
            <translation type="unfinished">ᠬᠠᠭᠤᠳᠠᠰᠤ</translation>
        </message>
        <message>
            <source>Check</source>
            <translation type="unfinished">ᠱᠠᠯᠭᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Photos</source>
            <translation type="unfinished">ᠵᠢᠷᠤᠭ</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished">ᠢᠯᠡᠭᠡᠪᠡ</translation>
        </message>
        <message>
            <source>Department</source>
            <translation type="unfinished">ᠰᠠᠯᠪᠤᠷ</translation>
        </message>
        <message>
            <source>Time</source>
            <translation type="unfinished">ᠴᠠᠭ</translation>
        </message>
        <message>
            <source>Booked</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠤ ᠲᠠᠰᠤᠯᠪᠤᠷ</translation>
        </message>
        <message>
            <source>Booking</source>
            <translation type="unfinished">ᠪᠣᠯᠵᠢᠶᠠᠨ ᠰᠣᠩᠭᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation type="unfinished">ᠪᠣᠯᠢᠴᠠᠭᠳᠠᠪᠠ</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation type="unfinished">ᠠᠰᠠᠭᠤᠳᠠᠯ</translation>
        </message>
    </context>
    <context>
        <name>Submitted</name>
        <message>
            <source>Application sent</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠢᠯᠡᠭᠡᠭᠳᠡᠪᠡ</translation>
        </message>
        <message>
            <source>Your reference number</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠦᠨ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Scan to track your application</source>
            <translation type="unfinished">ᠰᠢᠬᠠᠨᠢᠳᠴᠤ ᠠᠰᠠᠭᠤᠬᠤ</translation>
        </message>
        <message>
            <source>Get my receipt</source>
            <translation type="unfinished">ᠲᠠᠰᠤᠯᠪᠤᠷ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Applied for: {0}</source>
            <translation type="unfinished">ᠦᠷᠭᠦᠳᠦᠯ ᠦᠨ ᠬᠡᠷᠡᠭ: {0}</translation>
        </message>
        <message>
            <source>The network is down: your application is saved on this kiosk and will be sent automatically. Do not apply again.</source>
            <translation type="unfinished">ᠰᠦᠯᠵᠢᠶᠡ ᠲᠠᠰᠤᠷᠠᠪᠠ: ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠡᠨᠡ ᠮᠠᠰᠢᠨ ᠳᠦ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠳᠠᠵᠤ ᠥᠪᠡᠷᠢᠶᠡᠨ ᠢᠯᠡᠭᠡᠭᠳᠡᠨ᠎ᠡ᠃ ᠳᠠᠬᠢᠨ ᠪᠦ ᠥᠭᠦᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Your application has been sent to the service center.</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠲᠥᠪ ᠲᠦ ᠢᠯᠡᠭᠡᠭᠳᠡᠪᠡ᠃</translation>
        </message>
        <message>
            <source>Handed in here (photographed):</source>
            <translation type="unfinished">ᠡᠨᠳᠡ ᠥᠭᠦᠭᠰᠡᠨ (ᠵᠢᠷᠤᠭᠯᠠᠭᠰᠠᠨ):</translation>
        </message>
        <message>
            <source>All materials handed in: nothing to bring to the window.</source>
            <translation type="unfinished">ᠪᠦᠬᠦ ᠮᠠᠲᠡᠷᠢᠠᠯ ᠥᠭᠦᠭᠳᠡᠪᠡ: ᠴᠣᠩᠬᠤ ᠳᠦ ᠠᠪᠴᠤ ᠢᠷᠡᠬᠤ ᠶᠠᠭᠤᠮᠠ ᠦᠭᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Please bring these to the window:</source>
            <translation type="unfinished">ᠡᠭᠦᠨ ᠢ ᠴᠣᠩᠬᠤ ᠳᠦ ᠠᠪᠴᠤ ᠢᠷᠡᠭᠡᠷᠡᠢ:</translation>
        </message>
        <message>
            <source>Done. Your application has been received.</source>
            <translation type="unfinished">ᠪᠣᠯᠪᠠ᠃ ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠳᠠᠪᠠ᠃</translation>
        </message>
        <message>
            <source>Your receipt</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠲᠠᠰᠤᠯᠪᠤᠷ</translation>
        </message>
        <message>
            <source>Next: rate this service</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠ ᠨᠢ: ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠳᠦ ᠳᠦᠭᠨᠡᠯᠲᠡ ᠥᠭᠬᠦ</translation>
        </message>
        <message>
            <source>Done: your application has been received. Keep this number until it is done.</source>
            <translation type="unfinished">ᠪᠣᠯᠪᠠ: ᠲᠠᠨ ᠤ ᠦᠷᠭᠦᠳᠦᠯ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠳᠠᠪᠠ᠃ ᠬᠡᠷᠡᠭ ᠪᠦᠲᠦᠲᠡᠯ᠎ᠡ ᠡᠨᠡ ᠳᠤᠭᠠᠷ ᠢ ᠬᠠᠳᠠᠭᠠᠯᠠᠭᠠᠷᠠᠢ᠃</translation>
        </message>
    </context>
    <context>
        <name>Ticket</name>
        <message>
            <source>Take a queue number</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ</translation>
        </message>
        <message>
            <source>Which department do you need?</source>
            <translation type="unfinished">ᠲᠠ ᠠᠯᠢ ᠰᠠᠯᠪᠤᠷ ᠲᠤ ᠣᠴᠢᠬᠤ ᠪᠤᠢ?</translation>
        </message>
        <message>
            <source>Your queue number</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠳᠤᠭᠠᠷ</translation>
        </message>
        <message>
            <source>Show this code at the window</source>
            <translation type="unfinished">ᠴᠣᠩᠬᠤ ᠳᠦ ᠦᠵᠡᠭᠦᠯ</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation type="unfinished">ᠲᠡᠭᠦᠰᠬᠡᠬᠦ</translation>
        </message>
        <message>
            <source>Please wait until your number is called.</source>
            <translation type="unfinished">ᠳᠤᠭᠠᠷ ᠢᠶᠠᠨ ᠳᠤᠤᠳᠠᠭᠳᠠᠲᠠᠯ᠎ᠠ ᠬᠦᠯᠢᠶᠡᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation type="unfinished">ᠰᠠᠯᠪᠤᠷ: {0}</translation>
        </message>
        <message>
            <source>People waiting before you: {0}</source>
            <translation type="unfinished">ᠲᠠᠨ ᠤ ᠥᠮᠨᠡ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠤᠢ ᠬᠦᠮᠦᠨ: {0}</translation>
        </message>
        <message>
            <source>Issued while the network is down: show this number at the window when called.</source>
            <translation type="unfinished">ᠰᠦᠯᠵᠢᠶᠡ ᠲᠠᠰᠤᠷᠠᠭᠰᠠᠨ ᠦᠡᠳ ᠥᠭᠦᠭᠰᠡᠨ ᠳᠤᠭᠠᠷ: ᠳᠤᠤᠳᠠᠭᠳᠠᠬᠤ ᠳᠤ ᠴᠣᠩᠬᠤ ᠳᠦ ᠦᠵᠡᠭᠦᠯᠦᠭᠡᠷᠡᠢ᠃</translation>
        </message>
        <message>
            <source>If you miss your call, please take a new number.</source>
            <translation type="unfinished">ᠳᠤᠤᠳᠠᠯᠭᠠ ᠠᠴᠠ ᠬᠣᠴᠣᠷᠣᠪᠠᠯ ᠰᠢᠨ᠎ᠡ ᠳᠤᠭᠠᠷ ᠠᠪᠤᠭᠠᠷᠠᠢ᠃</translation>
        </message>
    </context>
    <context>
        <name>Tiles</name>
        <message>
            <source>◀ Previous page</source>
            <translation type="unfinished">◀ ᠥᠮᠨᠡᠬᠢ ᠬᠤᠤᠳᠠᠰᠤ</translation>
        </message>
        <message>
            <source>Next page ▶</source>
            <translation type="unfinished">ᠳᠠᠷᠠᠭᠠᠬᠢ ᠬᠤᠤᠳᠠᠰᠤ ▶</translation>
        </message>
        <message>
            <source>Page {0} of {1}</source>
            <translation type="unfinished">{1} ᠡᠴᠡ {0} ᠬᠤᠤᠳᠠᠰᠤ</translation>
        </message>
    </context>
    <context>
        <name>Window</name>
        <message>
            <source>Larger text</source>
            <translation type="unfinished">ᠲᠣᠮ ᠦᠰᠡᠭ</translation>
        </message>
        <message>
            <source>◀ Back</source>
            <translation type="unfinished">◀ ᠪᠤᠴᠠᠬᠤ</translation>
        </message>
        <message>
            <source>End visit</source>
            <translation type="unfinished">ᠳᠠᠭᠤᠰᠬᠠᠬᠤ</translation>
        </message>
        <message>
            <source>Need help? Call {0}</source>
            <translation type="unfinished">ᠲᠤᠰᠠᠯᠠᠮᠵᠢ ᠬᠡᠷᠡᠭ ᠲᠡᠢ ᠶᠤ? {0} ᠳᠦ ᠤᠲᠠᠰᠤᠳᠠᠭᠠᠷᠠᠢ</translation>
        </message>
        <message>
            <source>Voice</source>
            <translation type="unfinished">ᠳᠠᠶᠤᠨ</translation>
        </message>
        <message>
            <source>Demo: tap sample card (F2)</source>
            <translation type="unfinished">ᠦᠵᠡᠭᠦᠯᠡᠨ: ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠠᠷᠲ ᠬᠦᠷᠭᠡᠬᠦ (F2)</translation>
        </message>
    </context>
</TS>

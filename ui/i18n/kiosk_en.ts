<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>Answer</name>
        <message>
            <source>Result</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation>Stop waiting</translation>
        </message>
        <message>
            <source>Ask again</source>
            <translation>Ask again</translation>
        </message>
        <message>
            <source>Print this answer</source>
            <translation>Print this answer</translation>
        </message>
        <message>
            <source>Print again</source>
            <translation>Print again</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation>Something else</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Verification code: {0}</source>
            <translation>Verification code: {0}</translation>
        </message>
        <message>
            <source>{0} page(s), issued {1}. The code on every page lets anyone check that the certificate is genuine.</source>
            <translation>{0} page(s), issued {1}. The code on every page lets anyone check that the certificate is genuine.</translation>
        </message>
        <message>
            <source>Asking the department, please wait. It usually takes a few seconds.</source>
            <translation>Asking the department, please wait. It usually takes a few seconds.</translation>
        </message>
        <message>
            <source>You stopped waiting. You can ask again.</source>
            <translation>You stopped waiting. You can ask again.</translation>
        </message>
        <message>
            <source>Your certificate is ready. It comes out of the A4 printer:</source>
            <translation>Your certificate is ready. It comes out of the A4 printer:</translation>
        </message>
        <message>
            <source>Here is what the department's records show:</source>
            <translation>Here is what the department's records show:</translation>
        </message>
    </context>
    <context>
        <name>Appointment</name>
        <message>
            <source>Mon</source>
            <translation>Mon</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>Tue</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>Wed</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>Thu</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>Fri</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>Sat</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>Sun</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation>Book a window appointment</translation>
        </message>
        <message>
            <source>Appointment at: {0}</source>
            <translation>Appointment at: {0}</translation>
        </message>
        <message>
            <source>{0} places left</source>
            <translation>{0} places left</translation>
        </message>
        <message>
            <source>Fully booked</source>
            <translation>Fully booked</translation>
        </message>
        <message>
            <source>Name: {0}</source>
            <translation>Name: {0}</translation>
        </message>
        <message>
            <source>ID number: {0}</source>
            <translation>ID number: {0}</translation>
        </message>
        <message>
            <source>No times can be booked at the moment. Please call the hotline.</source>
            <translation>No times can be booked at the moment. Please call the hotline.</translation>
        </message>
        <message>
            <source>Choose a day, then a time. Book at least one day ahead; one booking per person per day. Bring your ID card.</source>
            <translation>Choose a day, then a time. Book at least one day ahead; one booking per person per day. Bring your ID card.</translation>
        </message>
        <message>
            <source>Appointment booked</source>
            <translation>Appointment booked</translation>
        </message>
        <message>
            <source>Appointment number</source>
            <translation>Appointment number</translation>
        </message>
        <message>
            <source>Show this code at the hall</source>
            <translation>Show this code at the hall</translation>
        </message>
        <message>
            <source>Something else</source>
            <translation>Something else</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Your appointment is booked.</source>
            <translation>Your appointment is booked.</translation>
        </message>
        <message>
            <source>Time: {0}</source>
            <translation>Time: {0}</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation>Department: {0}</translation>
        </message>
        <message>
            <source>Arrive on time and exchange the slip for a priority number at the hall.</source>
            <translation>Arrive on time and exchange the slip for a priority number at the hall.</translation>
        </message>
        <message>
            <source>Cannot come? Cancel at this kiosk at least 2 hours before: identify, then "Cancel an appointment".</source>
            <translation>Cannot come? Cancel at this kiosk at least 2 hours before: identify, then "Cancel an appointment".</translation>
        </message>
    </context>
    <context>
        <name>Attract</name>
        <message>
            <source>24-hour self-service</source>
            <translation>24-hour self-service</translation>
        </message>
        <message>
            <source>Tap here to start</source>
            <translation>Tap here to start</translation>
        </message>
        <message>
            <source>or place your ID card or social security card on the reader</source>
            <translation>or place your ID card or social security card on the reader</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation>Take a queue number</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation>Could not get it done? Tell us</translation>
        </message>
        <message>
            <source>Check progress</source>
            <translation>Check progress</translation>
        </message>
        <message>
            <source>Elderly mode: larger text</source>
            <translation>Elderly mode: larger text</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation>Help hotline: {0}</translation>
        </message>
        <message>
            <source>Queue numbers are issued while the hall is open.</source>
            <translation>Queue numbers are issued while the hall is open.</translation>
        </message>
    </context>
    <context>
        <name>Bookings</name>
        <message>
            <source>Cancel an appointment</source>
            <translation>Cancel an appointment</translation>
        </message>
        <message>
            <source>Cancel this appointment</source>
            <translation>Cancel this appointment</translation>
        </message>
        <message>
            <source>Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.</source>
            <translation>Bookings made at this kiosk can be cancelled here until 2 hours before. For others, call {0}.</translation>
        </message>
        <message>
            <source>Which appointment do you want to cancel?</source>
            <translation>Which appointment do you want to cancel?</translation>
        </message>
        <message>
            <source>You have no appointments booked at this kiosk.</source>
            <translation>You have no appointments booked at this kiosk.</translation>
        </message>
        <message>
            <source>Appointment cancelled</source>
            <translation>Appointment cancelled</translation>
        </message>
        <message>
            <source>Your appointment is cancelled. The hall has been told.</source>
            <translation>Your appointment is cancelled. The hall has been told.</translation>
        </message>
    </context>
    <context>
        <name>Capture</name>
        <message>
            <source>Photograph your materials</source>
            <translation>Photograph your materials</translation>
        </message>
        <message>
            <source>Retake the last page</source>
            <translation>Retake the last page</translation>
        </message>
        <message>
            <source>Bring it to the window</source>
            <translation>Bring it to the window</translation>
        </message>
        <message>
            <source>Next material ▶</source>
            <translation>Next material ▶</translation>
        </message>
        <message>
            <source>Send the application</source>
            <translation>Send the application</translation>
        </message>
        <message>
            <source>Material found: hold still and take the photo.</source>
            <translation>Material found: hold still and take the photo.</translation>
        </message>
        <message>
            <source>Lay the material flat in the lit area, all four corners in view.</source>
            <translation>Lay the material flat in the lit area, all four corners in view.</translation>
        </message>
        <message>
            <source>Taking the photo, please do not move the material…</source>
            <translation>Taking the photo, please do not move the material…</translation>
        </message>
        <message>
            <source>Material {0} of {1}: {2}</source>
            <translation>Material {0} of {1}: {2}</translation>
        </message>
        <message>
            <source>Pages taken of this material: {0}</source>
            <translation>Pages taken of this material: {0}</translation>
        </message>
        <message>
            <source>Lay the first page flat under the camera, then tap “Take photo”.</source>
            <translation>Lay the first page flat under the camera, then tap “Take photo”.</translation>
        </message>
        <message>
            <source>Take photo</source>
            <translation>Take photo</translation>
        </message>
        <message>
            <source>Add a page</source>
            <translation>Add a page</translation>
        </message>
        <message>
            <source>Starting the camera…</source>
            <translation>Starting the camera…</translation>
        </message>
        <message>
            <source>Photographed {0} · to the window {1} · to do {2}</source>
            <translation>Photographed {0} · to the window {1} · to do {2}</translation>
        </message>
    </context>
    <context>
        <name>Choose</name>
        <message>
            <source>What would you like to do?</source>
            <translation>What would you like to do?</translation>
        </message>
        <message>
            <source>Book a window appointment</source>
            <translation>Book a window appointment</translation>
        </message>
        <message>
            <source>◀ Back to the services</source>
            <translation>◀ Back to the services</translation>
        </message>
        <message>
            <source>Cancel an appointment</source>
            <translation>Cancel an appointment</translation>
        </message>
        <message>
            <source>Take a queue number</source>
            <translation>Take a queue number</translation>
        </message>
        <message>
            <source>Could not get it done? Tell us</source>
            <translation>Could not get it done? Tell us</translation>
        </message>
        <message>
            <source>One-thing bundles</source>
            <translation>One-thing bundles</translation>
        </message>
        <message>
            <source>Appointments and more</source>
            <translation>Appointments and more</translation>
        </message>
        <message>
            <source>Hello, {0}. What would you like to do?</source>
            <translation>Hello, {0}. What would you like to do?</translation>
        </message>
        <message>
            <source>Hello. What would you like to do?</source>
            <translation>Hello. What would you like to do?</translation>
        </message>
        <message>
            <source>The connection to the service center is down. Services marked as needing it cannot be done now; everything else is saved here and sent later.</source>
            <translation>The connection to the service center is down. Services marked as needing it cannot be done now; everything else is saved here and sent later.</translation>
        </message>
        <message>
            <source>Book an appointment: which department?</source>
            <translation>Book an appointment: which department?</translation>
        </message>
    </context>
    <context>
        <name>Devices</name>
        <message>
            <source>The printer is not working right now.</source>
            <translation>The printer is not working right now.</translation>
        </message>
        <message>
            <source>The printer has run out of paper.</source>
            <translation>The printer has run out of paper.</translation>
        </message>
        <message>
            <source>The printer cover is open.</source>
            <translation>The printer cover is open.</translation>
        </message>
        <message>
            <source>Your application is saved. Please photograph the QR code or write down the reference number {0}. You can collect a printed receipt at the service window with this number.</source>
            <translation>Your application is saved. Please photograph the QR code or write down the reference number {0}. You can collect a printed receipt at the service window with this number.</translation>
        </message>
        <message>
            <source>The card reader is not working right now. Please type your ID number instead.</source>
            <translation>The card reader is not working right now. Please type your ID number instead.</translation>
        </message>
        <message>
            <source>The ticket printer is not working right now. Your number is shown on the screen: please photograph it or write it down.</source>
            <translation>The ticket printer is not working right now. Your number is shown on the screen: please photograph it or write it down.</translation>
        </message>
        <message>
            <source>A device is not working right now.</source>
            <translation>A device is not working right now.</translation>
        </message>
        <message>
            <source>The camera is not working right now. The pages already taken are kept; please bring the other materials to the service window.</source>
            <translation>The camera is not working right now. The pages already taken are kept; please bring the other materials to the service window.</translation>
        </message>
        <message>
            <source>Please photograph the QR code or write down the appointment number {0}: it is your slip.</source>
            <translation>Please photograph the QR code or write down the appointment number {0}: it is your slip.</translation>
        </message>
        <message>
            <source>The notice stays on the screen. You can also get a printed copy at the service window.</source>
            <translation>The notice stays on the screen. You can also get a printed copy at the service window.</translation>
        </message>
        <message>
            <source>Printing, please wait…</source>
            <translation>Printing, please wait…</translation>
        </message>
        <message>
            <source>Printed. Please take it from the slot below the screen.</source>
            <translation>Printed. Please take it from the slot below the screen.</translation>
        </message>
        <message>
            <source>The printer could not print.</source>
            <translation>The printer could not print.</translation>
        </message>
        <message>
            <source>The card could not be read. Place it flat on the reader again, or type your ID number.</source>
            <translation>The card could not be read. Place it flat on the reader again, or type your ID number.</translation>
        </message>
    </context>
    <context>
        <name>Farewell</name>
        <message>
            <source>Please take your card</source>
            <translation>Please take your card</translation>
        </message>
        <message>
            <source>Your ID card is still on the reader below the screen.</source>
            <translation>Your ID card is still on the reader below the screen.</translation>
        </message>
        <message>
            <source>Do not forget your receipt and your belongings.</source>
            <translation>Do not forget your receipt and your belongings.</translation>
        </message>
        <message>
            <source>Thank you, goodbye</source>
            <translation>Thank you, goodbye</translation>
        </message>
        <message>
            <source>Your details are no longer on the screen. What you sent is kept safely on this kiosk until the service center has received it.</source>
            <translation>Your details are no longer on the screen. What you sent is kept safely on this kiosk until the service center has received it.</translation>
        </message>
        <message>
            <source>Help hotline: {0}</source>
            <translation>Help hotline: {0}</translation>
        </message>
        <message>
            <source>Under maintenance</source>
            <translation>Under maintenance</translation>
        </message>
        <message>
            <source>This kiosk is being serviced. Please use another kiosk or call {0}.</source>
            <translation>This kiosk is being serviced. Please use another kiosk or call {0}.</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation>Out of service</translation>
        </message>
        <message>
            <source>This kiosk's storage is nearly full, so it cannot take applications right now. Please use another kiosk.</source>
            <translation>This kiosk's storage is nearly full, so it cannot take applications right now. Please use another kiosk.</translation>
        </message>
        <message>
            <source>This kiosk cannot take applications right now. Please use another kiosk.</source>
            <translation>This kiosk cannot take applications right now. Please use another kiosk.</translation>
        </message>
    </context>
    <context>
        <name>Form</name>
        <message>
            <source>From your card</source>
            <translation>From your card</translation>
        </message>
        <message>
            <source>From the ID number you typed</source>
            <translation>From the ID number you typed</translation>
        </message>
        <message>
            <source>Application form: {0}</source>
            <translation>Application form: {0}</translation>
        </message>
        <message>
            <source>◀ Previous field</source>
            <translation>◀ Previous field</translation>
        </message>
        <message>
            <source>Next field ▶</source>
            <translation>Next field ▶</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field above to fill it in.</source>
            <translation>One form for everything; * marks what is required. Tap a field above to fill it in.</translation>
        </message>
        <message>
            <source>One form for everything; * marks what is required. Tap a field on the left.</source>
            <translation>One form for everything; * marks what is required. Tap a field on the left.</translation>
        </message>
        <message>
            <source>Check and continue</source>
            <translation>Check and continue</translation>
        </message>
        <message>
            <source>This comes from your identity and cannot be changed here. To change it, go back.</source>
            <translation>This comes from your identity and cannot be changed here. To change it, go back.</translation>
        </message>
    </context>
    <context>
        <name>Handwriting</name>
        <message>
            <source>Write again</source>
            <translation>Write again</translation>
        </message>
        <message>
            <source>Pinyin keys</source>
            <translation>Pinyin keys</translation>
        </message>
    </context>
    <context>
        <name>Identify</name>
        <message>
            <source>Identify yourself</source>
            <translation>Identify yourself</translation>
        </message>
        <message>
            <source>Please identify yourself: tap your card, or type your ID number</source>
            <translation>Please identify yourself: tap your card, or type your ID number</translation>
        </message>
        <message>
            <source>Please type your ID number: the card reader cannot be used</source>
            <translation>Please type your ID number: the card reader cannot be used</translation>
        </message>
        <message>
            <source>Tap your card</source>
            <translation>Tap your card</translation>
        </message>
        <message>
            <source>Place your resident ID card flat on the reader below the screen and leave it there until your name appears. A social security card works too.</source>
            <translation>Place your resident ID card flat on the reader below the screen and leave it there until your name appears. A social security card works too.</translation>
        </message>
        <message>
            <source>Or type your 18-character ID number</source>
            <translation>Or type your 18-character ID number</translation>
        </message>
        <message>
            <source>Type your 18-character ID number</source>
            <translation>Type your 18-character ID number</translation>
        </message>
        <message>
            <source>Confirm ID number</source>
            <translation>Confirm ID number</translation>
        </message>
        <message>
            <source>Or show your phone's sign-in code to the scanner.</source>
            <translation>Or show your phone's sign-in code to the scanner.</translation>
        </message>
        <message>
            <source>The card reader is ready.</source>
            <translation>The card reader is ready.</translation>
        </message>
        <message>
            <source>Card reader: off</source>
            <translation>Card reader: off</translation>
        </message>
        <message>
            <source>{0} of 18 characters typed</source>
            <translation>{0} of 18 characters typed</translation>
        </message>
    </context>
    <context>
        <name>Idle</name>
        <message>
            <source>Are you still there?</source>
            <translation>Are you still there?</translation>
        </message>
        <message>
            <source>For your privacy, everything you entered will be cleared when the time runs out.</source>
            <translation>For your privacy, everything you entered will be cleared when the time runs out.</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>Continue</translation>
        </message>
        <message>
            <source>{0} s</source>
            <translation>{0} s</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <source>Clear</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
        <message>
            <source>Write</source>
            <translation>Write</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message>
            <source>Kiosk</source>
            <translation>Kiosk</translation>
        </message>
        <message>
            <source>The kiosk's storage cannot be read.</source>
            <translation>The kiosk's storage cannot be read.</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>Testing…</translation>
        </message>
        <message>
            <source>Self-test passed.</source>
            <translation>Self-test passed.</translation>
        </message>
        <message>
            <source>Self-test failed: {0}</source>
            <translation>Self-test failed: {0}</translation>
        </message>
        <message>
            <source>Could not save: the kiosk's storage failed.</source>
            <translation>Could not save: the kiosk's storage failed.</translation>
        </message>
        <message>
            <source>Counter reset ({0} printed on the old roll).</source>
            <translation>Counter reset ({0} printed on the old roll).</translation>
        </message>
        <message>
            <source>Answer every item, with a note for each problem, and type who inspected.</source>
            <translation>Answer every item, with a note for each problem, and type who inspected.</translation>
        </message>
        <message>
            <source>Inspection saved. It is sent to the hall as soon as the link allows.</source>
            <translation>Inspection saved. It is sent to the hall as soon as the link allows.</translation>
        </message>
        <message>
            <source>A card was read: the card reader works.</source>
            <translation>A card was read: the card reader works.</translation>
        </message>
        <message>
            <source>A card could not be read.</source>
            <translation>A card could not be read.</translation>
        </message>
        <message>
            <source>Check each item at the kiosk. A failed item needs a note of what you found.</source>
            <translation>Check each item at the kiosk. A failed item needs a note of what you found.</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problem</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>Type name</source>
            <translation>Type name</translation>
        </message>
        <message>
            <source>Send the inspection to the hall</source>
            <translation>Send the inspection to the hall</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>Inspected by: {0}</source>
            <translation>Inspected by: {0}</translation>
        </message>
        <message>
            <source>Items still to answer (or to note): {0}</source>
            <translation>Items still to answer (or to note): {0}</translation>
        </message>
        <message>
            <source>Type who inspected, then send.</source>
            <translation>Type who inspected, then send.</translation>
        </message>
        <message>
            <source>Ready to send.</source>
            <translation>Ready to send.</translation>
        </message>
        <message>
            <source>Who inspected (name or staff number)</source>
            <translation>Who inspected (name or staff number)</translation>
        </message>
        <message>
            <source>Note for: {0}</source>
            <translation>Note for: {0}</translation>
        </message>
        <message>
            <source>Technician access</source>
            <translation>Technician access</translation>
        </message>
        <message>
            <source>Enter the maintenance PIN</source>
            <translation>Enter the maintenance PIN</translation>
        </message>
        <message>
            <source>For technicians only. Citizens: please tap Cancel to return to the start screen.</source>
            <translation>For technicians only. Citizens: please tap Cancel to return to the start screen.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation>Enter</translation>
        </message>
        <message>
            <source>Wrong PIN. {0} tries left before the lock.</source>
            <translation>Wrong PIN. {0} tries left before the lock.</translation>
        </message>
        <message>
            <source>Too many wrong PINs. Try again in {0} min.</source>
            <translation>Too many wrong PINs. Try again in {0} min.</translation>
        </message>
        <message>
            <source>Receipt printer</source>
            <translation>Receipt printer</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation>ID card reader</translation>
        </message>
        <message>
            <source>Social security card reader</source>
            <translation>Social security card reader</translation>
        </message>
        <message>
            <source>Queue ticket dispenser</source>
            <translation>Queue ticket dispenser</translation>
        </message>
        <message>
            <source>QR code scanner</source>
            <translation>QR code scanner</translation>
        </message>
        <message>
            <source>Document camera</source>
            <translation>Document camera</translation>
        </message>
        <message>
            <source>A4 certificate printer</source>
            <translation>A4 certificate printer</translation>
        </message>
        <message>
            <source>Accessibility keypad</source>
            <translation>Accessibility keypad</translation>
        </message>
        <message>
            <source>No report yet</source>
            <translation>No report yet</translation>
        </message>
        <message>
            <source>Working</source>
            <translation>Working</translation>
        </message>
        <message>
            <source>Needs attention</source>
            <translation>Needs attention</translation>
        </message>
        <message>
            <source>Fault</source>
            <translation>Fault</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Not connected</translation>
        </message>
        <message>
            <source>Not installed</source>
            <translation>Not installed</translation>
        </message>
        <message>
            <source>Self-test</source>
            <translation>Self-test</translation>
        </message>
        <message>
            <source>Remove sample card</source>
            <translation>Remove sample card</translation>
        </message>
        <message>
            <source>Insert sample card</source>
            <translation>Insert sample card</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation>Maintenance</translation>
        </message>
        <message>
            <source>Devices</source>
            <translation>Devices</translation>
        </message>
        <message>
            <source>Paper and tickets</source>
            <translation>Paper and tickets</translation>
        </message>
        <message>
            <source>Daily inspection</source>
            <translation>Daily inspection</translation>
        </message>
        <message>
            <source>Leave maintenance</source>
            <translation>Leave maintenance</translation>
        </message>
        <message>
            <source>Receipts and notices printed since the paper was replaced</source>
            <translation>Receipts and notices printed since the paper was replaced</translation>
        </message>
        <message>
            <source>Queue tickets printed since the ticket roll was replaced</source>
            <translation>Queue tickets printed since the ticket roll was replaced</translation>
        </message>
        <message>
            <source>New roll put in: reset the counter</source>
            <translation>New roll put in: reset the counter</translation>
        </message>
        <message>
            <source>Open faults:</source>
            <translation>Open faults:</translation>
        </message>
        <message>
            <source>No open faults.</source>
            <translation>No open faults.</translation>
        </message>
        <message>
            <source>Records waiting to be sent to the hall: {0}</source>
            <translation>Records waiting to be sent to the hall: {0}</translation>
        </message>
        <message>
            <source>Counting since {0}</source>
            <translation>Counting since {0}</translation>
        </message>
        <message>
            <source>Nothing printed since the counter started.</source>
            <translation>Nothing printed since the counter started.</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>One-time notice</source>
            <translation>One-time notice</translation>
        </message>
        <message>
            <source>Print this notice</source>
            <translation>Print this notice</translation>
        </message>
        <message>
            <source>I have read it: fill in the form</source>
            <translation>I have read it: fill in the form</translation>
        </message>
        <message>
            <source>Materials to prepare:</source>
            <translation>Materials to prepare:</translation>
        </message>
        <message>
            <source>Who can apply:</source>
            <translation>Who can apply:</translation>
        </message>
        <message>
            <source>Time limit:</source>
            <translation>Time limit:</translation>
        </message>
        <message>
            <source>Fee:</source>
            <translation>Fee:</translation>
        </message>
        <message>
            <source>Result:</source>
            <translation>Result:</translation>
        </message>
        <message>
            <source>Legal basis:</source>
            <translation>Legal basis:</translation>
        </message>
    </context>
    <context>
        <name>Online</name>
        <message>
            <source>Checking your phone code, please wait…</source>
            <translation>Checking your phone code, please wait…</translation>
        </message>
    </context>
    <context>
        <name>Pager</name>
        <message>
            <source>▲ Page up</source>
            <translation>▲ Page up</translation>
        </message>
        <message>
            <source>▼ Page down</source>
            <translation>▼ Page down</translation>
        </message>
    </context>
    <context>
        <name>Progress</name>
        <message>
            <source>Application progress</source>
            <translation>Application progress</translation>
        </message>
        <message>
            <source>Hold the QR code of your receipt under the scanner, or type the reference number printed on the receipt.</source>
            <translation>Hold the QR code of your receipt under the scanner, or type the reference number printed on the receipt.</translation>
        </message>
        <message>
            <source>Look it up</source>
            <translation>Look it up</translation>
        </message>
        <message>
            <source>Stop waiting</source>
            <translation>Stop waiting</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Reference number: {0}</source>
            <translation>Reference number: {0}</translation>
        </message>
        <message>
            <source>Application {0}</source>
            <translation>Application {0}</translation>
        </message>
        <message>
            <source>Looking it up, please wait…</source>
            <translation>Looking it up, please wait…</translation>
        </message>
        <message>
            <source>You stopped waiting. You can look it up again.</source>
            <translation>You stopped waiting. You can look it up again.</translation>
        </message>
        <message>
            <source>Since {0}</source>
            <translation>Since {0}</translation>
        </message>
        <message>
            <source>Note from the service center: {0}</source>
            <translation>Note from the service center: {0}</translation>
        </message>
    </context>
    <context>
        <name>Rate</name>
        <message>
            <source>Rate this service</source>
            <translation>Rate this service</translation>
        </message>
        <message>
            <source>How satisfied are you with this service?</source>
            <translation>How satisfied are you with this service?</translation>
        </message>
        <message>
            <source>What went wrong? Choose one or more:</source>
            <translation>What went wrong? Choose one or more:</translation>
        </message>
        <message>
            <source>Skip</source>
            <translation>Skip</translation>
        </message>
        <message>
            <source>Send my rating</source>
            <translation>Send my rating</translation>
        </message>
    </context>
    <context>
        <name>Report</name>
        <message>
            <source>Could not get it done?</source>
            <translation>Could not get it done?</translation>
        </message>
        <message>
            <source>Tell us what kept you from getting it done. The hall will follow up.</source>
            <translation>Tell us what kept you from getting it done. The hall will follow up.</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Send</translation>
        </message>
        <message>
            <source>Call-back phone</source>
            <translation>Call-back phone</translation>
        </message>
        <message>
            <source>A few words</source>
            <translation>A few words</translation>
        </message>
        <message>
            <source>Phone (optional): {0}</source>
            <translation>Phone (optional): {0}</translation>
        </message>
        <message>
            <source>Description (pinyin or English): {0}</source>
            <translation>Description (pinyin or English): {0}</translation>
        </message>
        <message>
            <source>Thank you</source>
            <translation>Thank you</translation>
        </message>
        <message>
            <source>Report number</source>
            <translation>Report number</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Thank you. Your report has been recorded.</source>
            <translation>Thank you. Your report has been recorded.</translation>
        </message>
        <message>
            <source>The service center will look into it. If you left a phone number, they will call you back. Help hotline: {0}</source>
            <translation>The service center will look into it. If you left a phone number, they will call you back. Help hotline: {0}</translation>
        </message>
    </context>
    <context>
        <name>Review</name>
        <message>
            <source>Check your application</source>
            <translation>Check your application</translation>
        </message>
        <message>
            <source>Please check everything before sending.</source>
            <translation>Please check everything before sending.</translation>
        </message>
        <message>
            <source>Change something</source>
            <translation>Change something</translation>
        </message>
        <message>
            <source>Everything is right: send</source>
            <translation>Everything is right: send</translation>
        </message>
        <message>
            <source>Everything is right: photograph the materials</source>
            <translation>Everything is right: photograph the materials</translation>
        </message>
        <message>
            <source>Hide {0}</source>
            <translation>Hide {0}</translation>
        </message>
        <message>
            <source>Show {0}</source>
            <translation>Show {0}</translation>
        </message>
    </context>
    <context>
        <name>Steps</name>
        <message>
            <source>ID</source>
            <translation>ID</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Service</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>Notice</translation>
        </message>
        <message>
            <source>Form</source>
            <translation>Form</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Check</translation>
        </message>
        <message>
            <source>Photos</source>
            <translation>Photos</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Sent</translation>
        </message>
        <message>
            <source>Department</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Booked</source>
            <translation>Booked</translation>
        </message>
        <message>
            <source>Booking</source>
            <translation>Booking</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation>Your number</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problem</translation>
        </message>
    </context>
    <context>
        <name>Submitted</name>
        <message>
            <source>Application sent</source>
            <translation>Application sent</translation>
        </message>
        <message>
            <source>Your reference number</source>
            <translation>Your reference number</translation>
        </message>
        <message>
            <source>Scan to track your application</source>
            <translation>Scan to track your application</translation>
        </message>
        <message>
            <source>Get my receipt</source>
            <translation>Get my receipt</translation>
        </message>
        <message>
            <source>Applied for: {0}</source>
            <translation>Applied for: {0}</translation>
        </message>
        <message>
            <source>The network is down: your application is saved on this kiosk and will be sent automatically. Do not apply again.</source>
            <translation>The network is down: your application is saved on this kiosk and will be sent automatically. Do not apply again.</translation>
        </message>
        <message>
            <source>Your application has been sent to the service center.</source>
            <translation>Your application has been sent to the service center.</translation>
        </message>
        <message>
            <source>Handed in here (photographed):</source>
            <translation>Handed in here (photographed):</translation>
        </message>
        <message>
            <source>All materials handed in: nothing to bring to the window.</source>
            <translation>All materials handed in: nothing to bring to the window.</translation>
        </message>
        <message>
            <source>Please bring these to the window:</source>
            <translation>Please bring these to the window:</translation>
        </message>
        <message>
            <source>Done. Your application has been received.</source>
            <translation>Done. Your application has been received.</translation>
        </message>
        <message>
            <source>Your receipt</source>
            <translation>Your receipt</translation>
        </message>
        <message>
            <source>Next: rate this service</source>
            <translation>Next: rate this service</translation>
        </message>
        <message>
            <source>Done: your application has been received. Keep this number until it is done.</source>
            <translation>Done: your application has been received. Keep this number until it is done.</translation>
        </message>
    </context>
    <context>
        <name>Ticket</name>
        <message>
            <source>Take a queue number</source>
            <translation>Take a queue number</translation>
        </message>
        <message>
            <source>Which department do you need?</source>
            <translation>Which department do you need?</translation>
        </message>
        <message>
            <source>Your queue number</source>
            <translation>Your queue number</translation>
        </message>
        <message>
            <source>Your number</source>
            <translation>Your number</translation>
        </message>
        <message>
            <source>Show this code at the window</source>
            <translation>Show this code at the window</translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Finish</translation>
        </message>
        <message>
            <source>Please wait until your number is called.</source>
            <translation>Please wait until your number is called.</translation>
        </message>
        <message>
            <source>Department: {0}</source>
            <translation>Department: {0}</translation>
        </message>
        <message>
            <source>People waiting before you: {0}</source>
            <translation>People waiting before you: {0}</translation>
        </message>
        <message>
            <source>Issued while the network is down: show this number at the window when called.</source>
            <translation>Issued while the network is down: show this number at the window when called.</translation>
        </message>
        <message>
            <source>If you miss your call, please take a new number.</source>
            <translation>If you miss your call, please take a new number.</translation>
        </message>
    </context>
    <context>
        <name>Tiles</name>
        <message>
            <source>◀ Previous page</source>
            <translation>◀ Previous page</translation>
        </message>
        <message>
            <source>Next page ▶</source>
            <translation>Next page ▶</translation>
        </message>
        <message>
            <source>Page {0} of {1}</source>
            <translation>Page {0} of {1}</translation>
        </message>
    </context>
    <context>
        <name>Window</name>
        <message>
            <source>Larger text</source>
            <translation>Larger text</translation>
        </message>
        <message>
            <source>◀ Back</source>
            <translation>◀ Back</translation>
        </message>
        <message>
            <source>End visit</source>
            <translation>End visit</translation>
        </message>
        <message>
            <source>Need help? Call {0}</source>
            <translation>Need help? Call {0}</translation>
        </message>
        <message>
            <source>Voice</source>
            <translation>Voice</translation>
        </message>
        <message>
            <source>Demo: tap sample card (F2)</source>
            <translation>Demo: tap sample card (F2)</translation>
        </message>
    </context>
</TS>

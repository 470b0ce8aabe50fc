"""The queue-ticket dispenser: a 58 mm ESC/POS ticket printer. ``transport`` and ``protocol`` are the receipt
printer's (58 mm paper, jams), ``facade`` the TicketDispenser the runner drives, ``simulator`` the printer
simulator on dispenser paper, ``factory``."""

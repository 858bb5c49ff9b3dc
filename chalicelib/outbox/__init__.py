"""Every send (AI, human, follow-up): recorded pending, claimed, sent once; opt-outs, the WhatsApp window, STOP/START/HELP.

May import: domain, config, runtime, store, channels, channels/twilio.
"""

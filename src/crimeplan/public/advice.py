"""Crime prevention advice for residents, by police.uk crime type.

Written in the project's own words (not copied from anyone's site); each piece names the
organisation whose published guidance it follows, so a resident knows where to read more.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    crime_type: str
    tips: tuple[str, ...]
    source: str
    """The organisation whose guidance this follows."""


ADVICE: dict[str, Advice] = {
    a.crime_type: a
    for a in (
        Advice(
            "Burglary",
            (
                "Lock doors and windows whenever you go out, even for a few minutes, and keep "
                "keys away from the letterbox and windows.",
                "Make the house look lived in when you are away: a timer for lights, and a "
                "neighbour to collect post.",
                "Mark valuables with your postcode and keep a list of serial numbers.",
            ),
            "Neighbourhood Watch Network",
        ),
        Advice(
            "Vehicle crime",
            (
                "Lock your vehicle and close the windows every time you leave it.",
                "Take everything out of sight, including phone holders and charging leads.",
                "Keep keyless-entry fobs in a signal-blocking pouch away from the front door.",
            ),
            "Police.uk (the national police website)",
        ),
        Advice(
            "Bicycle theft",
            (
                "Use two good locks and fix the bike to something solid, through the frame.",
                "Register the frame number so the police can return it if it is found.",
            ),
            "BikeRegister and the police",
        ),
        Advice(
            "Shoplifting",
            (
                "Shop staff: keep high-value goods near the till and greet every customer.",
                "Report every theft, however small: it shows where patrols are needed.",
            ),
            "National Business Crime Centre",
        ),
        Advice(
            "Theft from the person",
            (
                "Keep your phone and purse in a zipped inside pocket in crowded places.",
                "Be aware of your surroundings when using your phone in the street.",
            ),
            "Police.uk (the national police website)",
        ),
        Advice(
            "Other theft",
            (
                "Lock sheds and garages, and keep tools and ladders out of sight.",
                "Never leave bags unattended in cafés, trains or shops.",
            ),
            "Neighbourhood Watch Network",
        ),
        Advice(
            "Criminal damage and arson",
            (
                "Keep wheelie bins and rubbish away from the house until collection day.",
                "Good lighting and tidy, overlooked spaces deter damage and fire setting.",
            ),
            "Essex County Fire and Rescue Service",
        ),
        Advice(
            "Violence and sexual offences",
            (
                "On a night out, plan how you will get home and keep friends together.",
                "If you or someone else is in danger, call 999. Domestic abuse can be reported "
                "silently by calling 999 and pressing 55 when asked.",
                "Free, confidential support is available whether or not you report to the police.",
            ),
            "Victim Support",
        ),
        Advice(
            "Robbery",
            (
                "If someone demands your belongings, hand them over: your safety matters more.",
                "Stay in well-lit, busy streets and keep valuables out of sight.",
            ),
            "Police.uk (the national police website)",
        ),
        Advice(
            "Anti-social behaviour",
            (
                "Keep a diary of what happens, when and who is affected: it helps the council "
                "and police act.",
                "Report persistent problems to your council's community safety team or on 101; "
                "you can ask for a case review if nothing is done.",
            ),
            "Your community safety partnership",
        ),
        Advice(
            "Drugs",
            (
                "Tell the police about drug dealing in your area, or report it anonymously.",
                "Signs of exploitation include young people with unexplained money or phones.",
            ),
            "Crimestoppers",
        ),
        Advice(
            "Public order",
            ("Step away from arguments in the street and call 999 if anyone is in danger.",),
            "Police.uk (the national police website)",
        ),
        Advice(
            "Possession of weapons",
            (
                "If you know someone carries a knife, you can tell Crimestoppers anonymously.",
                "Talk to young people about the risks: carrying a knife makes them less safe.",
            ),
            "Crimestoppers",
        ),
        Advice(
            "Other crime",
            ("Report fraud and online scams; never give bank details to an unexpected caller.",),
            "Action Fraud",
        ),
    )
}


def advice_for(crime_types: list[str]) -> list[Advice]:
    """Advice for the given types, in their order, skipping any without advice."""
    return [ADVICE[t] for t in crime_types if t in ADVICE]

"""The levers, one per module; `LEVERS` maps each name to its lever."""

from cartelsim.policy.levers.crackdown import Crackdown
from cartelsim.policy.levers.kingpin import Kingpin
from cartelsim.policy.levers.money import FollowTheMoney
from cartelsim.policy.levers.naloxone import Naloxone
from cartelsim.policy.levers.precursors import PrecursorControls
from cartelsim.policy.levers.prevention import RecruitmentPrevention
from cartelsim.policy.levers.scanning import Scanning
from cartelsim.policy.levers.strikes import Strikes
from cartelsim.policy.levers.surveillance import Surveillance
from cartelsim.policy.levers.treatment import Treatment
from cartelsim.policy.levers.troops import Troops

LEVERS = {
    lever.name: lever()
    for lever in (
        Surveillance,
        Strikes,
        Kingpin,
        Scanning,
        Troops,
        Crackdown,
        FollowTheMoney,
        PrecursorControls,
        Naloxone,
        Treatment,
        RecruitmentPrevention,
    )
}

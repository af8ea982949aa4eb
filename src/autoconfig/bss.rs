//! What the controller configures on a radio, one entry per M2: a BSS or tear-down.

use crate::attr::MultiApFlags;
use crate::registration::NetworkSettings;

/// One BSS to run on the agent's radio: its network and its Multi-AP role. `Debug`
/// shows no secret: [`NetworkSettings`]' own hides the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bss {
    settings: NetworkSettings,
    backhaul: bool,
    fronthaul: bool,
}

impl Bss {
    /// A BSS with these settings; `backhaul` and `fronthaul` are the Backhaul BSS and
    /// Fronthaul BSS bits of the Multi-AP Extension (both may be set).
    pub fn new(settings: NetworkSettings, backhaul: bool, fronthaul: bool) -> Self {
        Bss {
            settings,
            backhaul,
            fronthaul,
        }
    }

    /// SSID, authentication, encryption and key.
    pub fn settings(&self) -> &NetworkSettings {
        &self.settings
    }

    /// Whether backhaul STAs of other agents associate to this BSS.
    pub fn is_backhaul(&self) -> bool {
        self.backhaul
    }

    /// Whether ordinary clients associate to this BSS.
    pub fn is_fronthaul(&self) -> bool {
        self.fronthaul
    }

    /// The Multi-AP Extension value for this BSS.
    pub fn multi_ap_flags(&self) -> MultiApFlags {
        let mut bits = 0;
        if self.backhaul {
            bits |= MultiApFlags::BACKHAUL_BSS.bits();
        }
        if self.fronthaul {
            bits |= MultiApFlags::FRONTHAUL_BSS.bits();
        }
        MultiApFlags(bits)
    }
}

/// What one M2 tells the agent's radio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BssConfig {
    /// Run this BSS.
    Configure(Bss),
    /// Tear down the radio's BSSs (the Tear Down bit; the other settings are ignored).
    TearDown,
}

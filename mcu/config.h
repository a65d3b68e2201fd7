/* config.h -- the library's configuration for the firmware of mcu/, in
 * place of the one configure writes on the host: which optional expat
 * functions the target's expat (built with expat_config.h) has. */
#ifndef FW_CONFIG_H
#define FW_CONFIG_H

/* Debian's expat 2.5.0 backports reparse deferral (upstream 2.6.0); the
 * function is not tied to DTD support. */
#define HAVE_XML_SETREPARSEDEFERRALENABLED 1

/* HAVE_XML_SETBILLIONLAUGHSATTACKPROTECTIONMAXIMUMAMPLIFICATION and
 * HAVE_XML_SETALLOCTRACKERMAXIMUMAMPLIFICATION stay undefined: expat
 * defines those setters only when built with XML_DTD. tp_config's
 * expat_* amplification fields are then ignored. */

#endif

// The US map data file of the jqvmap package registers its shapes with jQuery.fn.vectorMap('addMap', name, data).
// The dashboard draws the shapes itself, so this stand-in only keeps the data.
(function () {
    'use strict';
    window.loginPulseMaps = {};
    window.jQuery = { fn: { vectorMap: function (command, name, data) {
        if (command === 'addMap') {
            window.loginPulseMaps[name] = data;
        }
    } } };
})();
